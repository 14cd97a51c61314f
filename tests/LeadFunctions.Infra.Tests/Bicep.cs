using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;

namespace LeadFunctions.Infra.Tests;

/// <summary>The Bicep CLI from the NuGet package, run on the repository's infra/.</summary>
public static class Bicep
{
    private static readonly Lazy<JsonObject> CompiledTemplate = new(() => JsonNode.Parse(Run("build", MainFile, "--stdout"))!.AsObject());

    public static string RepositoryRoot { get; } = FindRoot();

    public static string MainFile => Path.Combine(RepositoryRoot, "infra", "main.bicep");

    /// <summary>infra/main.bicep compiled to ARM JSON, once per test run.</summary>
    public static JsonObject Template => CompiledTemplate.Value;

    public static string Run(params string[] arguments)
    {
        var path = typeof(Bicep).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "BicepPath")?.Value;
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            Assert.Skip("The Bicep CLI package (Azure.Bicep.CommandLine.linux-x64) is for Linux x64 only; these tests run there (CI does).");
        }

        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // Offline on purpose: the template uses no registry modules, so nothing needs downloading.
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"bicep {string.Join(' ', arguments)} failed with exit code {process.ExitCode}:{Environment.NewLine}{error.Result}{output.Result}");
        }
        return output.Result;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LeadFunctions.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("The tests run inside the repository.");
    }
}
