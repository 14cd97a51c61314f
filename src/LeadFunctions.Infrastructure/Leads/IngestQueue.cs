using LeadFunctions.Domain;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Infrastructure.Leads;

/// <summary>Sends records to the ingest queue, where the queue-triggered function checks them.</summary>
public sealed class IngestQueue(StorageClients clients)
{
    /// <summary>Queue messages hold 64 KiB once base64-encoded, so 48 KiB of JSON at most.</summary>
    public const int MaxMessageBytes = 48 * 1024;

    public static string Serialize(IngestJob message) => JsonRow.Serialize<object>(message);

    public Task SendAsync(IngestJob message, CancellationToken ct, TimeSpan? delay = null) => SendJsonAsync(Serialize(message), delay, ct);

    /// <summary>Queues a fresh check of each record, as it is when the check runs.</summary>
    public Task CheckAsync(IEnumerable<string> leadIds, CancellationToken ct) =>
        Task.WhenAll(leadIds.Select(id => SendAsync(new CheckMessage(id, Ids.New()), ct)));

    /// <summary>
    /// Announces a change before it is written, naming the version it is made on: if the process
    /// dies after writing, the check still comes; if the write never happens, the check finds the
    /// record unchanged and leaves it as it is.
    /// </summary>
    public Task AnnounceChangeAsync(string leadId, string basedOn, CancellationToken ct) =>
        SendAsync(new CheckMessage(leadId, Ids.New(), BasedOn: basedOn), ct);

    private async Task SendJsonAsync(string json, TimeSpan? delay, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        await clients.Ingest.SendMessageAsync(json, visibilityTimeout: delay, cancellationToken: ct);
    }
}
