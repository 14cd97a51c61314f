using LeadFunctions.Domain;

namespace LeadFunctions.Functions.Http;

/// <summary>
/// The ids a request is about, as log scope values (LeadId, MergeId, …), so that every log line of
/// a request carries them into Application Insights. Read from the path, so both hosts (and every
/// route) get them the same way without each function naming its own.
/// </summary>
public static class LogScope
{
    private static readonly Dictionary<string, string> NameBySegment = new(StringComparer.OrdinalIgnoreCase)
    {
        ["leads"] = "LeadId",
        ["similar"] = "OtherLeadId",
        ["merges"] = "MergeId",
        ["customers"] = "CustomerId",
        ["teams"] = "TeamId",
        ["salespeople"] = "SalespersonId",
        ["imports"] = "ImportId",
        ["erasures"] = "ErasureId",
        ["webhooks"] = "WebhookId",
    };

    public static Dictionary<string, object> ForPath(string? path)
    {
        var values = new Dictionary<string, object>();
        var segments = (path ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 1; i < segments.Length; i++)
        {
            if (Ids.IsWellFormed(segments[i]) && NameBySegment.TryGetValue(segments[i - 1], out var name))
            {
                values[name] = segments[i];
            }
        }
        return values;
    }
}
