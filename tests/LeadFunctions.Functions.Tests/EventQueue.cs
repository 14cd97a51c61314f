using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LeadFunctions.Functions.Tests;

/// <summary>
/// The <c>lead-events</c> queue as a consumer reads it (base64 messages of CloudEvents JSON):
/// every message received is kept, duplicates included, so a test can look at what arrived.
/// </summary>
public sealed class EventQueue(TestHost host)
{
    /// <summary>
    /// How long a wait may last before it fails: generous, since a wait ends as soon as its
    /// condition holds, and on two busy cores the host's retries and sweeps come late.
    /// </summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private readonly QueueClient queue = new(
        host.Services.GetRequiredService<IOptions<StorageConnection>>().Value.ConnectionString, StorageNames.EventsQueue,
        new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    private readonly List<JsonObject> received = [];
    private readonly List<QueueMessage> messages = [];

    public IReadOnlyList<JsonObject> Received => received;

    /// <summary>The messages as received, in the same order as <see cref="Received"/>: their text as sent and when they expire.</summary>
    public IReadOnlyList<QueueMessage> Messages => messages;

    /// <summary>The events about one record, in the order they arrived.</summary>
    public IReadOnlyList<JsonObject> About(string subject) => received.Where(e => e["subject"]?.GetValue<string>() == subject).ToList();

    public static IEnumerable<string> Types(IEnumerable<JsonObject> events) =>
        events.Select(e => e["type"]!.GetValue<string>()["com.leadfunctions.".Length..]);

    /// <summary>Reads the queue until the condition holds; fails with what arrived when it never does.</summary>
    public Task WaitForAsync(Func<EventQueue, bool> condition, string because) =>
        WaitForAsync(q => Task.FromResult(condition(q)), because);

    /// <inheritdoc cref="WaitForAsync(Func{EventQueue, bool}, string)"/>
    public async Task WaitForAsync(Func<EventQueue, Task<bool>> condition, string because)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            await DrainAsync();
            if (await condition(this))
            {
                return;
            }
            DateTime.UtcNow.Should().BeBefore(deadline, "{0}; arrived: {1}", because, string.Join(", ", received.Select(e => $"{e["type"]}/{e["subject"]}")));
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Waits until the host is quiet, then reads what is left: nothing else can arrive for what was done.</summary>
    public async Task SettleAsync()
    {
        await host.QuietAsync(Patience);
        await WaitForAsync(_ => host.Services.GetRequiredService<LocalHost.FunctionExecutions>().Running == 0, "the dispatcher should finish");
        await DrainAsync();
    }

    private async Task DrainAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        if (!(await queue.ExistsAsync(ct)).Value)
        {
            return;
        }
        while (true)
        {
            var batch = (await queue.ReceiveMessagesAsync(32, cancellationToken: ct)).Value;
            if (batch.Length == 0)
            {
                return;
            }
            foreach (var message in batch)
            {
                received.Add(JsonNode.Parse(message.Body.ToString())!.AsObject());
                messages.Add(message);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
            }
        }
    }
}
