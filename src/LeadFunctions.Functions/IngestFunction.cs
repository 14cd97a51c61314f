using System.Text.Json;
using LeadFunctions.Domain;
using LeadFunctions.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace LeadFunctions.Functions;

/// <summary>
/// Duplicate detection on ingest. A message that cannot be read throws, so the host retries it
/// and then moves it to the poison queue without holding up the others.
/// </summary>
public sealed class IngestFunction(IngestProcessor processor, ILogger<IngestFunction> logger)
{
    [Function("IngestLead")]
    public Task Run(
        [QueueTrigger(StorageNames.IngestQueue, Connection = ServiceCollectionExtensions.StorageSetting)] string message,
        long dequeueCount,
        CancellationToken ct)
    {
        var parsed = JsonSerializer.Deserialize<IngestMessage>(message, JsonDefaults.Options);
        if (parsed is null || (parsed.Sweep is null && !Ids.IsWellFormed(parsed.LeadId)) || string.IsNullOrEmpty(parsed.CheckId))
        {
            throw new InvalidDataException("The ingest message names no record.");
        }
        return RunAsync(parsed, dequeueCount, ct);
    }

    // The scope lives across the awaits, so every log line of the check carries its ids.
    private async Task RunAsync(IngestMessage message, long dequeueCount, CancellationToken ct)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["LeadId"] = message.LeadId, ["CheckId"] = message.CheckId, ["MergeId"] = message.MergeId });
        await processor.ProcessAsync(message, dequeueCount, ct);
    }
}
