using System.Net;
using System.Text;
using System.Text.Json;

namespace LeadFunctions.Functions.Tests;

/// <summary>Test records created over HTTP, and their state compared before and after (merge and undo tests).</summary>
public static class TestRecords
{
    /// <summary>Fields that the background duplicate check or storage set: not what a merge or undo restores.</summary>
    private static readonly string[] Volatile = ["version", "duplicateCheck"];

    /// <summary>Log kinds that a merge and its undo add as history.</summary>
    private static readonly string[] MergeKinds = ["merged", "merged-into", "unmerged"];

    public static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    public static async Task<string> CreateAsync(HttpClient client, object body) =>
        (await client.SendJsonAsync(HttpMethod.Post, "leads", body, HttpStatusCode.Created))["id"]!.GetValue<string>();

    /// <summary>Each record's fields as the API shows them, without the volatile ones, as JSON text.</summary>
    public static async Task<Dictionary<string, string>> SnapshotAsync(HttpClient client, IEnumerable<string> ids)
    {
        var snapshot = new Dictionary<string, string>();
        foreach (var id in ids)
        {
            var lead = await client.GetJsonAsync($"leads/{id}");
            foreach (var field in Volatile)
            {
                lead.Remove(field);
            }
            snapshot[id] = lead.ToJsonString();
        }
        return snapshot;
    }

    /// <summary>Each record's log (ids, kinds and messages), without the entries a merge adds.</summary>
    public static async Task<Dictionary<string, List<string>>> LogsAsync(HttpClient client, IEnumerable<string> ids)
    {
        var logs = new Dictionary<string, List<string>>();
        foreach (var id in ids)
        {
            var items = (await client.GetJsonAsync($"leads/{id}/log?pageSize=200"))["items"]!.AsArray();
            logs[id] = items
                .Where(e => !MergeKinds.Contains(e!["kind"]!.GetValue<string>()))
                .Select(e => e!.ToJsonString())
                .ToList();
        }
        return logs;
    }
}
