using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using LeadFunctions.Azurite;
using LeadFunctions.Domain;

namespace LeadFunctions.Functions.Tests.Configuration;

/// <summary>SPEC 7: with a connection string, requests, dependencies and logs (with their record ids) reach Application Insights.</summary>
public sealed class TelemetryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Requests_storage_dependencies_and_logs_with_the_lead_id_are_exported()
    {
        // Application Insights' ingestion (and live metrics) endpoint, stood in for on loopback.
        await using var ingestion = LoopbackReceiver.Start(_ => (200, "{\"itemsReceived\":1,\"itemsAccepted\":1,\"errors\":[]}"));
        await using var azurite = await AzuriteProcess.StartAsync(AzuriteOptions.InMemoryOnFreePorts, TestContext.Current.CancellationToken);
        // A process of its own, as on Azure: the telemetry switches are process-wide.
        await using var host = await LocalHostProcess.StartAsync(azurite.ConnectionString, new Dictionary<string, string>
        {
            [Functions.Configuration.Telemetry.ConnectionStringSetting] =
                $"InstrumentationKey=00000000-0000-4000-8000-000000000000;IngestionEndpoint={ingestion.Address};LiveEndpoint={ingestion.Address}",
            ["Logging__LogLevel__Default"] = "Information",
            // SDK self-statistics would go to Microsoft's endpoints (and ask the VM metadata address): off in tests.
            ["APPLICATIONINSIGHTS_STATSBEAT_DISABLED"] = "true",
            ["APPLICATIONINSIGHTS_SDKSTATS_DISABLED"] = "true",
        });

        var queue = new QueueClient(azurite.ConnectionString, "lead-ingest", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var checks = new Dictionary<string, string>();
        bool Exported(IReadOnlyList<LoopbackReceiver.Received> received)
        {
            var items = Items(received);
            return items.Any(i => BaseType(i) == "RequestData" && Data(i)["url"]?.GetValue<string>().EndsWith("/api/health", StringComparison.Ordinal) == true)
                && items.Any(i => BaseType(i) == "RemoteDependencyData" && Data(i)["target"]?.GetValue<string>().Contains("127.0.0.1", StringComparison.Ordinal) == true)
                && items.Any(i => BaseType(i) == "MessageData" && Data(i)["properties"]?["LeadId"]?.GetValue<string>() is { } lead
                    && checks.TryGetValue(lead, out var check) && Data(i)["properties"]?["CheckId"]?.GetValue<string>() == check);
        }

        // Sampling may keep only some traces, so the traffic goes on until one of each kind has come.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!Exported(ingestion.Requests))
        {
            waited.Elapsed.Should().BeLessThan(Patience, $"requests, dependencies and a check's log should be exported; the endpoint got {string.Join(", ", Items(ingestion.Requests).Select(BaseType).Distinct())}");
            (await host.Client.GetJsonAsync("health"))["status"]!.GetValue<string>().Should().Be("healthy");
            // A check of a record that does not exist logs that it has nothing to do, inside the check's scope.
            var (leadId, checkId) = (Ids.New(), Ids.New());
            checks[leadId] = checkId;
            await queue.SendMessageAsync($"{{\"leadId\":\"{leadId}\",\"checkId\":\"{checkId}\"}}", TestContext.Current.CancellationToken);
            // Paced by the exporter: the next round once another batch has come.
            var exported = Tracks(ingestion.Requests);
            await ingestion.WaitForAsync(r => Tracks(r) > exported, Patience);
        }

        var requests = ingestion.Requests;
        requests.Should().OnlyContain(r => r.Path.StartsWith("/v2.1/track", StringComparison.Ordinal) || r.Path.StartsWith("/QuickPulseService.svc", StringComparison.OrdinalIgnoreCase),
            "telemetry goes to the configured endpoints only");
    }

    private static int Tracks(IEnumerable<LoopbackReceiver.Received> requests) =>
        requests.Count(r => r.Path.StartsWith("/v2.1/track", StringComparison.Ordinal));

    private static List<JsonNode> Items(IEnumerable<LoopbackReceiver.Received> requests) =>
        requests.Where(r => r.Path.StartsWith("/v2.1/track", StringComparison.Ordinal))
            .SelectMany(r => r.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            .Select(line => JsonNode.Parse(line)!)
            .ToList();

    private static string? BaseType(JsonNode item) => item["data"]?["baseType"]?.GetValue<string>();

    private static JsonNode Data(JsonNode item) => item["data"]!["baseData"]!;
}
