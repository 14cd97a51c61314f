using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace LeadFunctions.Functions.Features.Console;

/// <summary>One file of the console (or the capture script), as built into the assembly.</summary>
public sealed record StaticAsset(string Name, byte[] Content, string ContentType, string ETag);

/// <summary>
/// The console's files, embedded in the function app's assembly (see the project file) so that a
/// deployment is one package with nothing to build or fetch at run time.
/// </summary>
public static class StaticAssets
{
    private const string Prefix = "console/";

    private static readonly FrozenDictionary<string, StaticAsset> Files = Load();

    public static StaticAsset? Find(string name) => Files.GetValueOrDefault(name);

    /// <summary>A file made from settings rather than built in, served like the others (its ETag follows its content).</summary>
    public static StaticAsset Json(string name, object value) =>
        Asset(name, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(value, LeadFunctions.Domain.JsonDefaults.Options));

    private static FrozenDictionary<string, StaticAsset> Load()
    {
        var assembly = typeof(StaticAssets).Assembly;
        var files = new Dictionary<string, StaticAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            var name = resource[Prefix.Length..];
            files[name] = Asset(name, Read(assembly, resource));
        }
        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static StaticAsset Asset(string name, byte[] content) =>
        new(name, content, ContentType(name), "\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..16] + "\"");

    private static byte[] Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".json" => "application/json",
        _ => throw new InvalidOperationException($"The console file {name} has a type the console does not serve."),
    };
}
