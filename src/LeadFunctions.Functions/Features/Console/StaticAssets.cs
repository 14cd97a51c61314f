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

    private static FrozenDictionary<string, StaticAsset> Load()
    {
        var assembly = typeof(StaticAssets).Assembly;
        var files = new Dictionary<string, StaticAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            var name = resource[Prefix.Length..];
            var content = Read(assembly, resource);
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..16] + "\"";
            files[name] = new StaticAsset(name, content, ContentType(name), etag);
        }
        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

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
        _ => throw new InvalidOperationException($"The console file {name} has a type the console does not serve."),
    };
}
