using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace LeadFunctions.Functions.Tests.Features.Erasure;

/// <summary>
/// Every place of a storage account where a person's values could stay: each row of each table and
/// each message of each queue, the <c>-poison</c> queues and <c>lead-events</c> included (an erasure
/// cannot reach a message once sent, so finding a value there means the app sent it).
/// </summary>
public static class StorageTraces
{
    /// <summary>A queue read through whole: a message taken out of sight for this long is not met twice in one scan.</summary>
    private static readonly TimeSpan ScanHold = TimeSpan.FromSeconds(30);

    /// <summary>Every string of every row that holds one of the values, as "table/partition/row: column holds 'value'".</summary>
    public static async Task<List<string>> InTablesAsync(string connection, IReadOnlyList<string> wanted, CancellationToken ct)
    {
        var service = new TableServiceClient(connection);
        var found = new List<string>();
        await foreach (var table in service.QueryAsync(cancellationToken: ct))
        {
            await foreach (var row in service.GetTableClient(table.Name).QueryAsync<TableEntity>(cancellationToken: ct))
            {
                foreach (var (column, value) in row)
                {
                    var text = value?.ToString() ?? "";
                    foreach (var v in wanted.Where(v => text.Contains(v, StringComparison.OrdinalIgnoreCase) || row.PartitionKey.Contains(v, StringComparison.OrdinalIgnoreCase)))
                    {
                        found.Add($"{table.Name}/{row.PartitionKey}/{row.RowKey}: {column} holds '{v}'");
                    }
                }
            }
        }
        return found;
    }

    /// <summary>
    /// Every message of every queue that holds one of the values, as written or base64-decoded, as
    /// "queue:#n holds 'value'". The queues the host reads are peeked (at most 32 visible messages
    /// each, which a quiet host leaves far fewer than, and a message received here would count as
    /// one of its tries); the ones nobody reads (poison queues, <c>lead-events</c>) are received
    /// through whole and left to come back, so none is missed however many there are.
    /// </summary>
    public static async Task<List<string>> InQueuesAsync(string connection, IReadOnlyList<string> wanted, CancellationToken ct)
    {
        var service = new QueueServiceClient(connection, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        var found = new List<string>();
        await foreach (var item in service.GetQueuesAsync(cancellationToken: ct))
        {
            var queue = service.GetQueueClient(item.Name);
            var texts = Unread(item.Name) ? await ReceiveAllAsync(queue, ct) : (await queue.PeekMessagesAsync(32, ct)).Value.Select(m => m.Body.ToString()).ToList();
            for (var n = 0; n < texts.Count; n++)
            {
                var decoded = Decoded(texts[n]);
                foreach (var v in wanted.Where(v => texts[n].Contains(v, StringComparison.OrdinalIgnoreCase) || decoded.Contains(v, StringComparison.OrdinalIgnoreCase)))
                {
                    found.Add($"queue {item.Name}:#{n} holds '{v}'");
                }
            }
        }
        return found;
    }

    private static bool Unread(string queue) =>
        queue.EndsWith("-poison", StringComparison.Ordinal) || queue == LeadFunctions.Infrastructure.Tables.StorageNames.EventsQueue;

    private static async Task<List<string>> ReceiveAllAsync(QueueClient queue, CancellationToken ct)
    {
        var held = new List<QueueMessage>();
        while (true)
        {
            QueueMessage[] batch = (await queue.ReceiveMessagesAsync(32, ScanHold, ct)).Value;
            held.AddRange(batch);
            if (batch.Length < 32)
            {
                break;
            }
        }
        foreach (var message in held)
        {
            // Back in sight for whoever reads it next (another scan, a replay), unchanged.
            await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: ct);
        }
        return held.Select(m => m.Body.ToString()).ToList();
    }

    private static string Decoded(string text)
    {
        var bytes = new byte[text.Length];
        return Convert.TryFromBase64String(text, bytes, out var length) ? Encoding.UTF8.GetString(bytes, 0, length) : "";
    }
}
