using System.Text;
using Azure.Storage.Queues;
using LeadFunctions.Azurite;
using LeadFunctions.Functions.Features.Ingest;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.Extensions.DependencyInjection;

namespace LeadFunctions.Functions.Tests.Features.Ingest;

/// <summary>
/// Ingest across host restarts, poison messages and repeated delivery. Each test has an Azurite of
/// its own, so that it alone decides when the queue is read.
/// </summary>
public sealed class IngestReliabilityTests : IAsyncLifetime
{
    private AzuriteProcess azurite = null!;

    public async ValueTask InitializeAsync() =>
        azurite = await AzuriteProcess.StartAsync(AzuriteOptions.InMemoryOnFreePorts, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await azurite.DisposeAsync();

    [Fact]
    public async Task A_host_stopped_after_storing_a_capture_and_before_flagging_it_flags_it_after_a_restart()
    {
        var domain = Api.UniqueDomain();
        string first, second;
        await using (var stopped = await TestHost.StartAsync(azurite.ConnectionString, queues: false))
        {
            first = await stopped.Client.CaptureIdAsync(new { email = $"ann@{domain}" });
            second = await stopped.Client.CaptureIdAsync(new { email = $"ann@{domain}", name = "second" });
            (await stopped.Client.GetJsonAsync($"leads/{second}"))["duplicateCheck"]!["status"]!.GetValue<string>().Should().Be("pending");
        }

        await using var restarted = await TestHost.StartAsync(azurite.ConnectionString);

        await restarted.Client.WaitCheckedAsync(second);
        await restarted.Client.WaitCheckedAsync(first);
        // Both messages run at once after the restart, so the first check of either may miss the
        // other; the one that finds it queues a check of its neighbour, which then flags it.
        var flagged = await Api.EventuallyAsync(() => restarted.Client.GetJsonAsync($"leads/{second}"),
            l => l["duplicateCheck"]!["similarIds"]!.AsArray().Count > 0);
        flagged["duplicateCheck"]!["similarIds"]!.AsArray().Select(i => i!.GetValue<string>()).Should().Equal(first);
        (await restarted.Client.SimilarAsync(second)).Ids().Should().Equal(first);
        (await restarted.Client.SimilarAsync(first)).Ids().Should().Equal(second);
    }

    [Fact]
    public async Task Check_messages_carry_ids_only_never_the_record()
    {
        var tag = Guid.NewGuid().ToString("N")[..10];
        await using var host = await TestHost.StartAsync(azurite.ConnectionString, queues: false);
        await host.Client.CaptureIdAsync(new { email = $"private{tag}@{Api.UniqueDomain()}", contactName = $"Private Person {tag}", phone = "+1 415 555 0123", message = $"secret {tag}" });
        await TestRecords.CreateAsync(host.Client, new { name = $"Deal {tag}", email = $"other{tag}@{Api.UniqueDomain()}" });
        var queue = new QueueClient(azurite.ConnectionString, StorageNames.IngestQueue);

        var bodies = (await queue.PeekMessagesAsync(32, TestContext.Current.CancellationToken)).Value
            .Select(m => Encoding.UTF8.GetString(Convert.FromBase64String(m.Body.ToString()))).ToList();

        bodies.Should().HaveCount(2);
        bodies.Should().AllSatisfy(body => body.Should().NotContain(tag).And.NotContain("415", "a message that poisons keeps what it holds where no erasure reaches"));
    }

    [Fact]
    public async Task A_malformed_message_ends_in_the_poison_queue_without_blocking_the_others()
    {
        await using var host = await TestHost.StartAsync(azurite.ConnectionString);
        var queue = new QueueClient(azurite.ConnectionString, StorageNames.IngestQueue, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var poison = new QueueClient(azurite.ConnectionString, StorageNames.IngestQueue + "-poison", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await queue.CreateIfNotExistsAsync(cancellationToken: TestContext.Current.CancellationToken);
        await poison.CreateIfNotExistsAsync(cancellationToken: TestContext.Current.CancellationToken);

        await queue.SendMessageAsync("{ this is not an ingest message", TestContext.Current.CancellationToken);
        var good = await host.Client.CaptureIdAsync(new { email = $"good@{Api.UniqueDomain()}" });

        await host.Client.WaitCheckedAsync(good);
        var deadline = DateTime.UtcNow + Api.Patience;
        string? poisoned = null;
        while (poisoned is null && DateTime.UtcNow < deadline)
        {
            var peeked = await poison.PeekMessagesAsync(10, TestContext.Current.CancellationToken);
            poisoned = peeked.Value.Select(m => m.Body.ToString()).FirstOrDefault();
            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
        poisoned.Should().Be("{ this is not an ingest message");
    }

    [Fact]
    public async Task The_queue_function_run_twice_on_one_message_leaves_one_log_entry()
    {
        var domain = Api.UniqueDomain();
        await using var host = await TestHost.StartAsync(azurite.ConnectionString, queues: false);
        var first = await host.Client.CaptureIdAsync(new { email = $"ann@{domain}" });
        var second = await host.Client.CaptureIdAsync(new { email = $"ann@{domain}", name = "second" });
        var queue = new QueueClient(azurite.ConnectionString, StorageNames.IngestQueue);
        var messages = (await queue.ReceiveMessagesAsync(32, cancellationToken: TestContext.Current.CancellationToken)).Value;
        var bodies = messages.Select(m => Encoding.UTF8.GetString(Convert.FromBase64String(m.Body.ToString()))).ToList();
        var ofSecond = bodies.Single(b => b.Contains(second, StringComparison.Ordinal));
        var function = ActivatorUtilities.CreateInstance<IngestFunction>(host.Services);

        await function.Run(bodies.Single(b => b.Contains(first, StringComparison.Ordinal)), dequeueCount: 1, TestContext.Current.CancellationToken);
        await function.Run(ofSecond, dequeueCount: 1, TestContext.Current.CancellationToken);
        var afterOnce = await host.Client.GetJsonAsync($"leads/{second}");
        await function.Run(ofSecond, dequeueCount: 1, TestContext.Current.CancellationToken);
        var afterTwice = await host.Client.GetJsonAsync($"leads/{second}");

        afterTwice.ToJsonString().Should().Be(afterOnce.ToJsonString(), "the second run changes nothing");
        afterTwice["duplicateCheck"]!["similarIds"]!.AsArray().Select(i => i!.GetValue<string>()).Should().Equal(first);
        var log = await host.Client.GetJsonAsync($"leads/{second}/log");
        log["items"]!.AsArray().Count(e => e!["kind"]!.GetValue<string>() == "duplicate-flagged").Should().Be(1);
    }

    [Fact]
    public async Task A_create_whose_process_died_after_queueing_is_stored_by_ingest()
    {
        await using var host = await TestHost.StartAsync(azurite.ConnectionString, queues: false);
        var lead = new LeadFunctions.Domain.Model.Lead
        {
            Id = LeadFunctions.Domain.Ids.New(),
            Name = "Only in the message",
            Email = $"ghost@{Api.UniqueDomain()}",
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
        };
        var created = LeadFunctions.Domain.Model.LogEntries.New(lead.Id, lead.CreatedAt, LeadFunctions.Domain.Model.LogKind.Created, "Lead created (capture).", null, LeadFunctions.Domain.Access.Actor.Visitor);
        var message = IngestQueue.Serialize(new CheckMessage(lead.Id, LeadFunctions.Domain.Ids.New(), lead, [created]));
        var function = ActivatorUtilities.CreateInstance<IngestFunction>(host.Services);

        await function.Run(message, dequeueCount: 1, TestContext.Current.CancellationToken);

        var stored = await host.Client.GetJsonAsync($"leads/{lead.Id}");
        stored["name"]!.GetValue<string>().Should().Be("Only in the message");
        stored["duplicateCheck"]!["status"]!.GetValue<string>().Should().Be("done");
        (await host.Client.GetJsonAsync($"leads/{lead.Id}/log"))["items"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()).Should().Contain("created");
    }
}
