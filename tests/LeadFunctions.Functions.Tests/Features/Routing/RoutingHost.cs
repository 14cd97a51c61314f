using System.Net;
using System.Text.Json.Nodes;
using LeadFunctions.Functions.Features.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LeadFunctions.Functions.Tests.Features.Routing;

/// <summary>
/// A host of their own for the routing tests: rules apply to every record of a host, so they must
/// not meet other tests' records. The timed pass never fires by itself; a test runs it at the
/// time it looks at.
/// </summary>
public sealed class RoutingHost() : SharedHost(Settings)
{
    public static readonly Dictionary<string, string?> Settings = new()
    {
        [RoutingFunctions.ScheduleSetting] = "0 0 0 1 1 *",
        ["Capture:RateLimitPerMinute"] = "1000",
    };

    public RoutingSweep Sweep => Host.Services.GetRequiredService<RoutingSweep>();
}

/// <summary>Teams, salespeople and records for the routing tests, through the API.</summary>
public static class Routing
{
    public static async Task<string> SalespersonAsync(HttpClient client, string name, object? more = null)
    {
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(more ?? new { }))!.AsObject();
        body["name"] = name;
        body["email"] ??= $"{name.ToLowerInvariant()}@{Api.UniqueDomain()}";
        return (await client.SendJsonAsync(HttpMethod.Post, "salespeople", body, HttpStatusCode.Created))["id"]!.GetValue<string>();
    }

    public static async Task<string> TeamAsync(HttpClient client, object team) =>
        (await client.SendJsonAsync(HttpMethod.Post, "teams", team, HttpStatusCode.Created))["id"]!.GetValue<string>();

    /// <summary>Waits until routing has looked at the record (its first check is done), and returns it.</summary>
    public static async Task<JsonObject> RoutedAsync(HttpClient client, string id) =>
        await Api.EventuallyAsync(() => client.GetJsonAsync($"leads/{id}"),
            lead => lead["duplicateCheck"]!["status"]!.GetValue<string>() == "done" && lead["assignment"] is JsonObject);

    public static string? Str(this JsonNode? node, string name) => node?[name]?.GetValue<string>();

    /// <summary>The record's assigned entries, oldest first.</summary>
    public static async Task<List<JsonObject>> AssignedEntriesAsync(HttpClient client, string id) =>
        [.. (await client.GetJsonAsync($"leads/{id}/log?pageSize=200"))["items"]!.AsArray()
            .Select(e => e!.AsObject()).Where(e => e.Str("kind") == "assigned").OrderBy(e => e.Str("id"), StringComparer.Ordinal)];
}
