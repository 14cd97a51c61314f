using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LeadFunctions.Functions.Tests;

/// <summary>Calls of the API as a client makes them, and the waits that ingest needs.</summary>
public static class Api
{
    private static int nextIp;

    /// <summary>
    /// How long background work may take before a wait fails: generous, because on a loaded
    /// two-core CI machine other tests' checks queue ahead; a check that never comes still fails.
    /// A wait ends as soon as its condition holds, so the cap costs nothing when things work.
    /// </summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    /// <summary>UTF-8 as browsers send it, not \uXXXX escapes that would make non-ASCII text six times larger.</summary>
    private static readonly JsonSerializerOptions Wire = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A domain of its own for each test, so that tests never find each other's records similar.</summary>
    public static string UniqueDomain() => $"d{Guid.NewGuid():N}"[..16] + ".test";

    /// <summary>Each call gets a client address of its own unless told, so that the rate limit counts one test at a time.</summary>
    public static string NewClientIp() => $"10.{Interlocked.Increment(ref nextIp) / 65536 % 256}.{nextIp / 256 % 256}.{nextIp % 256}";

    public static async Task<HttpResponseMessage> CaptureAsync(this HttpClient client, object body, string? ip = null, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "capture") { Content = JsonContent.Create(body, options: Wire) };
        request.Headers.Add("X-Client-IP", ip ?? NewClientIp());
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Captures and returns the new lead's id, failing on anything but 202.</summary>
    public static async Task<string> CaptureIdAsync(this HttpClient client, object body)
    {
        using var response = await client.CaptureAsync(body);
        await response.ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        return (await response.JsonAsync())["id"]!.GetValue<string>();
    }

    public static async Task<JsonObject> JsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!.AsObject();

    public static async Task<JsonObject> GetJsonAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        return await response.JsonAsync();
    }

    public static async Task<JsonObject> SendJsonAsync(this HttpClient client, HttpMethod method, string path, object? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body, Wire), Encoding.UTF8, "application/json");
        }
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        await response.ShouldHaveStatusAsync(expected);
        return response.Content.Headers.ContentLength == 0 ? [] : await response.JsonAsync();
    }

    public static async Task ShouldHaveStatusAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            response.StatusCode.Should().Be(expected, "the answer was {0}", body);
        }
    }

    /// <summary>Waits until ingest has checked the record, and returns it.</summary>
    public static async Task<JsonObject> WaitCheckedAsync(this HttpClient client, string id, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? Patience);
        while (true)
        {
            var lead = await client.GetJsonAsync($"leads/{id}");
            if (lead["duplicateCheck"]!["status"]!.GetValue<string>() == "done")
            {
                return lead;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Record {id} was not checked in time: {lead["duplicateCheck"]}");
            }
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Reads until the condition holds (ingest works in the background), or fails after a while.</summary>
    public static async Task<JsonObject> EventuallyAsync(Func<Task<JsonObject>> read, Func<JsonObject, bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The condition never held; last read: {value}");
            }
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    public static async Task<JsonObject> SimilarAsync(this HttpClient client, string id) => await client.GetJsonAsync($"leads/{id}/similar");

    public static IEnumerable<string> Ids(this JsonObject list) =>
        list["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>());

    public static IEnumerable<string> MatchedOn(this JsonObject similar, string otherId) =>
        similar["items"]!.AsArray().Single(i => i!["id"]!.GetValue<string>() == otherId)!["matchedOn"]!.AsArray().Select(m => m!.GetValue<string>());
}
