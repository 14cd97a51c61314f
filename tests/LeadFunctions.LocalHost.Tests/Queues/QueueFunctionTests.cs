using System.Text;
using Azure.Storage.Queues;
using LeadFunctions.LocalHost.Tests.TestFunctions;

namespace LeadFunctions.LocalHost.Tests.Queues;

public sealed class QueueFunctionTests(LocalHostFixture host)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private QueueClient Queue(string name, QueueMessageEncoding encoding = QueueMessageEncoding.Base64) =>
        new(host.Azurite.ConnectionString, name, new QueueClientOptions { MessageEncoding = encoding });

    [Fact]
    public async Task A_base64_json_message_reaches_the_function_as_a_poco_with_its_metadata()
    {
        var customer = "c" + Guid.NewGuid().ToString("N");
        var queue = Queue("orders");
        await queue.CreateIfNotExistsAsync(cancellationToken: Ct);

        await queue.SendMessageAsync($$"""{"customer":"{{customer}}","quantity":3}""", Ct);

        await InvocationLog.WaitUntilAsync(() => InvocationLog.Count("Ingest", $"{customer}:3:1:True") == 1, Patience);
        await WaitUntilEmptyAsync(queue);
    }

    [Fact]
    public async Task Failing_and_undecodable_messages_end_in_the_poison_queue_without_blocking_a_later_good_one()
    {
        var tag = Guid.NewGuid().ToString("N");
        var queue = Queue("flaky");
        var raw = Queue("flaky", QueueMessageEncoding.None);
        await queue.CreateIfNotExistsAsync(cancellationToken: Ct);

        await queue.SendMessageAsync($"fail-{tag}", Ct);
        var notBase64 = $"not base64 {tag}!";
        await raw.SendMessageAsync(notBase64, Ct);
        await queue.SendMessageAsync($"good-{tag}", Ct);

        await InvocationLog.WaitUntilAsync(() => InvocationLog.Count("Flaky", $"good-{tag}") == 1, Patience);
        var poison = Queue("flaky-poison", QueueMessageEncoding.None);
        var expected = new[] { Convert.ToBase64String(Encoding.UTF8.GetBytes($"fail-{tag}")), notBase64 };
        await InvocationLog.WaitUntilAsync(() => PoisonTexts(poison).Intersect(expected).Count() == 2, Patience);
        InvocationLog.Count("Flaky", $"fail-{tag}").Should().Be(3, "maxDequeueCount in test.host.json is 3");
        InvocationLog.Count("Flaky", notBase64).Should().Be(0, "an undecodable message never reaches the function");
    }

    [Fact]
    public async Task A_message_still_running_does_not_hold_back_the_messages_behind_it()
    {
        var tag = Guid.NewGuid().ToString("N");
        var queue = Queue("flaky");
        await queue.CreateIfNotExistsAsync(cancellationToken: Ct);

        await queue.SendMessageAsync($"hold-{tag}", Ct);
        await InvocationLog.WaitUntilAsync(() => InvocationLog.Count("Flaky", $"hold-{tag}") == 1, Patience);
        await queue.SendMessageAsync($"after-{tag}", Ct);

        try
        {
            await InvocationLog.WaitUntilAsync(() => InvocationLog.Count("Flaky", $"after-{tag}") == 1, Patience);
        }
        finally
        {
            InvocationLog.Release($"hold-{tag}");
        }
        InvocationLog.Count("Flaky", $"hold-{tag}").Should().Be(1, "the held message is still running, not retried");
    }

    [Fact]
    public async Task A_message_running_past_several_leases_keeps_its_lease_and_is_not_handed_out_again()
    {
        var tag = Guid.NewGuid().ToString("N");
        var queue = Queue("flaky");
        await queue.CreateIfNotExistsAsync(cancellationToken: Ct);

        await queue.SendMessageAsync($"hold-{tag}", Ct);
        await InvocationLog.WaitUntilAsync(() => InvocationLog.Count("Flaky", $"hold-{tag}") == 1, Patience);
        // What is tested is a lease expiring, so time itself is the condition: three leases go by.
        var held = System.Diagnostics.Stopwatch.StartNew();
        await InvocationLog.WaitUntilAsync(() => held.Elapsed > 3 * LocalHostFixture.QueueLease, Patience);
        InvocationLog.Release($"hold-{tag}");

        await WaitUntilEmptyAsync(queue);
        InvocationLog.Count("Flaky", $"hold-{tag}").Should().Be(1, "the running invocation renewed its lease");
    }

    private static List<string> PoisonTexts(QueueClient poison)
    {
        if (!poison.Exists().Value)
        {
            return [];
        }

        return poison.PeekMessages(32).Value.Select(m => m.Body.ToString()).ToList();
    }

    private static async Task WaitUntilEmptyAsync(QueueClient queue) =>
        await InvocationLog.WaitUntilAsync(() => queue.GetProperties().Value.ApproximateMessagesCount == 0, Patience);
}
