using System.Text.Json;
using Microsoft.Extensions.Configuration.Memory;

namespace LeadFunctions.LocalHost.Metadata;

/// <summary>The "Values" of local.settings.json, which Core Tools reads, so both ways of running see the same settings.</summary>
internal static class LocalSettingsFile
{
    /// <summary>Adds them below every other source: environment, command line and callers still win.</summary>
    public static void AddBelowOtherSources(IConfigurationBuilder configuration, string? repositoryRoot)
    {
        if (repositoryRoot is null)
        {
            return;
        }

        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        // The function project's file wins: that is the one `func start` reads.
        foreach (var path in new[] { Path.Combine(repositoryRoot, "local.settings.json"), Path.Combine(repositoryRoot, "src", "LeadFunctions.Functions", "local.settings.json") })
        {
            if (!File.Exists(path))
            {
                continue;
            }

            using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (document.RootElement.TryGetProperty("Values", out var section) && section.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in section.EnumerateObject())
                {
                    values[property.Name.Replace("__", ":", StringComparison.Ordinal)] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText();
                }
            }
        }

        if (values.Count > 0)
        {
            configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = values });
        }
    }
}
