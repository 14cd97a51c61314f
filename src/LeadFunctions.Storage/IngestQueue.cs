namespace LeadFunctions.Storage;

/// <summary>Sends records to the ingest queue, where the queue-triggered function checks them.</summary>
public sealed class IngestQueue(StorageClients clients)
{
    /// <summary>Queue messages hold 64 KiB once base64-encoded, so 48 KiB of JSON at most.</summary>
    public const int MaxMessageBytes = 48 * 1024;

    public static string Serialize(IngestMessage message) => JsonRow.Serialize(message);

    /// <summary>True when the message fits in one queue message.</summary>
    public static bool Fits(IngestMessage message) => System.Text.Encoding.UTF8.GetByteCount(Serialize(message)) <= MaxMessageBytes;

    public async Task SendAsync(IngestMessage message, CancellationToken ct, TimeSpan? delay = null)
    {
        await clients.EnsureCreatedAsync();
        await clients.Ingest.SendMessageAsync(Serialize(message), visibilityTimeout: delay, cancellationToken: ct);
    }
}
