using System.Net;
using System.Text.Json.Nodes;
using LeadFunctions.Azurite;

namespace LeadFunctions.Functions.Tests.Configuration;

/// <summary>
/// SPEC 4.5: telemetry holds no email, phone or name, because an erasure cannot take back what
/// Application Insights received. A person goes through capture, check, merge, conversion, a list
/// filtered by their email and their erasure with telemetry on, and nothing of theirs reaches the
/// (fake, loopback) ingestion endpoint in any spelling.
/// </summary>
public sealed class TelemetryPrivacyTests
{
    private static readonly TimeSpan Patience = Api.Patience;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Nothing_of_the_person_reaches_application_insights_through_their_whole_story()
    {
        await using var ingestion = LoopbackReceiver.Start(request =>
        {
            var items = request.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
            return (200, $"{{\"itemsReceived\":{items},\"itemsAccepted\":{items},\"errors\":[]}}");
        });
        await using var azurite = await AzuriteProcess.StartAsync(AzuriteOptions.InMemoryOnFreePorts, Ct);
        // A process of its own, as on Azure: the telemetry switches are process-wide, and stopping it flushes the exporter.
        await using var host = await LocalHostProcess.StartAsync(azurite.ConnectionString, new Dictionary<string, string>
        {
            [Functions.Configuration.Telemetry.ConnectionStringSetting] =
                $"InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint={ingestion.Address};LiveEndpoint={ingestion.Address}",
            // Every log line and every trace, so that nothing escapes the check by being sampled out.
            ["Logging__LogLevel__Default"] = "Information",
            // ASP.NET Core's "Request starting …" lines carry the URL with its query string (on by default in the worker).
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Information",
            ["OTEL_TRACES_SAMPLER"] = "microsoft.fixed_percentage",
            ["OTEL_TRACES_SAMPLER_ARG"] = "1.0",
            // SDK self-statistics would go to Microsoft's endpoints (and ask the VM metadata address): off in tests.
            ["APPLICATIONINSIGHTS_STATSBEAT_DISABLED"] = "true",
            ["APPLICATIONINSIGHTS_SDKSTATS_DISABLED"] = "true",
            ["Erasure__SettleAfter"] = "00:00:03",
        });
        var client = host.Client;
        var person = Person.New();

        var captured = await client.CaptureIdAsync(new { email = person.Email, phone = person.Phone, contactName = person.Name, companyName = person.Company, message = person.Description });
        await client.WaitCheckedAsync(captured);
        var created = await TestRecords.CreateAsync(client, new { name = "Second enquiry", email = person.Email, contactName = person.Name, description = person.Description });
        await client.WaitCheckedAsync(created);
        (await client.SimilarAsync(created)).Ids().Should().Contain(captured, "the pair is flagged");
        await client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { captured, created }, survivorId = captured }, HttpStatusCode.Created);
        await client.SendJsonAsync(HttpMethod.Post, $"leads/{captured}/convert", new { action = "convert", customer = new { mode = "create" } }, HttpStatusCode.OK);
        (await client.GetJsonAsync($"leads?email={Uri.EscapeDataString(person.Email)}")).Ids().Should().Contain(captured);
        await EraseAsync(client, new { email = person.Email, phone = person.Phone });

        // Stopped as the platform stops it, so that the exporter sends what it still holds.
        await host.StopAsync(Patience);

        // What was found to hold the person's values is exported, only without them: finding none of them means something.
        var items = Items(ingestion.Requests);
        items.Should().Contain(i => BaseType(i) == "RequestData" && Text(i, "url").EndsWith("/api/leads?email=REDACTED", StringComparison.Ordinal),
            "the list request is exported with its parameter's name");
        items.Should().Contain(i => BaseType(i) == "RemoteDependencyData" && Text(i, "name").StartsWith("PUT /devstoreaccount1/leadindex(REDACTED)", StringComparison.Ordinal),
            "the index writes are exported with their table");
        items.Should().Contain(i => BaseType(i) == "MessageData" && Text(i, "message").StartsWith("Request starting", StringComparison.Ordinal), "logs are exported");
        var text = string.Join('\n', ingestion.Requests.Select(r => r.Path + r.Query + "\n" + r.Body));
        var leaks = person.Spellings()
            .Where(value => text.Contains(value, StringComparison.OrdinalIgnoreCase))
            .Select(value => $"'{value}' in …{Around(text, value)}…");
        leaks.Should().BeEmpty("telemetry must hold nothing of the person");
    }

    private static async Task EraseAsync(HttpClient client, object request)
    {
        var started = await client.SendJsonAsync(HttpMethod.Post, "erasures", request, HttpStatusCode.Accepted);
        var id = started["id"]!.GetValue<string>();
        await Api.EventuallyAsync(() => client.GetJsonAsync($"erasures/{id}"), r => r["status"]!.GetValue<string>() == "done");
    }

    /// <summary>The first place a value was found, for a failure message that shows which attribute leaked.</summary>
    private static string Around(string text, string value)
    {
        var at = text.IndexOf(value, StringComparison.OrdinalIgnoreCase);
        return text[Math.Max(0, at - 200)..Math.Min(text.Length, at + value.Length + 60)];
    }

    private static List<JsonNode> Items(IEnumerable<LoopbackReceiver.Received> requests) =>
        requests.Where(r => r.Path.StartsWith("/v2.1/track", StringComparison.Ordinal))
            .SelectMany(r => r.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            .Select(line => JsonNode.Parse(line)!)
            .ToList();

    private static string? BaseType(JsonNode item) => item["data"]?["baseType"]?.GetValue<string>();

    private static string Text(JsonNode item, string field) => item["data"]?["baseData"]?[field]?.GetValue<string>() ?? "";

    /// <summary>Values of one test alone (a tag in each), so that finding one anywhere means it leaked.</summary>
    private sealed record Person(string Tag, string Email, string Phone, string Name, string Company, string Description)
    {
        public static Person New()
        {
            var tag = Guid.NewGuid().ToString("N")[..10];
            // 555-01xx numbers are reserved for fiction; the last two digits keep tests apart.
            var phone = $"+1 415 555 01{Random.Shared.Next(100):00}";
            return new(tag, $"zq{tag}@{Api.UniqueDomain()}", phone, $"Zephyrine Quill {tag}", $"Quillworks {tag}", $"Private note {tag}");
        }

        /// <summary>Every way the values could be written: as given, URL- or JSON-escaped, normalized (E.164, digits only), folded.</summary>
        public IEnumerable<string> Spellings()
        {
            var digits = new string(Phone.Where(char.IsAsciiDigit).ToArray());
            return [
                Tag, Email, Uri.EscapeDataString(Email), WebUtility.UrlEncode(Email), Email.Replace("@", "\\u0040", StringComparison.Ordinal),
                Phone, Uri.EscapeDataString(Phone), "+" + digits, digits, digits[1..], Phone[3..],
                "Zephyrine", "Quillworks", Name, Company, Description,
            ];
        }
    }
}
