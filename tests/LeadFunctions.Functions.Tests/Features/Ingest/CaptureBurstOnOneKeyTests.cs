using LeadFunctions.Infrastructure.Tables;
using LeadFunctions.LocalHost;
using Microsoft.Extensions.DependencyInjection;

namespace LeadFunctions.Functions.Tests.Features.Ingest;

/// <summary>
/// A burst of captures sharing one key cannot amplify writes (SPEC 4.2): a capture writes its
/// pair onto at most 20 records, and the key's relink, one at a time per key, writes the rest.
/// A host of its own, so that the executions and writes counted are this burst's; the relink
/// waits its default 30 s.
/// </summary>
public sealed class CaptureBurstOnOneKeyTests() : IsolatedHostTests(queues: true)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(300);

    private FunctionExecutions Executions => Host.Services.GetRequiredService<FunctionExecutions>();

    private StorageRequests Requests => Host.Services.GetRequiredService<StorageRequests>();

    [Fact]
    public async Task Two_hundred_captures_sharing_one_email_cost_two_executions_and_a_bounded_number_of_writes_each()
    {
        const int count = 200;
        var email = $"shared@{Api.UniqueDomain()}";
        var started = DateTime.UtcNow;
        var executionsBefore = Executions.Snapshot();
        var writesBefore = Requests.Writes;
        var ids = new string[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = TestContext.Current.CancellationToken },
            async (i, _) => ids[i] = await Client.CaptureIdAsync(new { email, contactName = $"Person {i}", message = $"Form {i}" }));
        foreach (var id in ids)
        {
            await Client.WaitCheckedAsync(id, Patience);
        }
        await Host.QuietAsync(Patience);
        var elapsed = DateTime.UtcNow - started;

        var wrong = new List<string>();
        foreach (var id in ids)
        {
            var check = (await Client.GetJsonAsync($"leads/{id}"))["duplicateCheck"]!;
            if (check["similarCount"]!.GetValue<int>() != count - 1)
            {
                wrong.Add($"{id}: {check["similarCount"]}");
            }
        }
        wrong.Should().BeEmpty("every record holds its pair with each of the 199 others once the relinks ran");

        var executions = Executions.Snapshot();
        long Delta(string function) => executions.GetValueOrDefault(function) - executionsBefore.GetValueOrDefault(function);
        var ingest = Delta("IngestLead");
        var retries = Executions.FailuresOf("IngestLead");
        var writes = Requests.Writes - writesBefore;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{count} captures on one email: {Delta("Capture")} capture and {ingest} ingest executions ({retries} retries), {writes} storage writes ({(double)writes / count:0.#} a capture) in {elapsed.TotalSeconds:0} s");
        Delta("Capture").Should().Be(count);
        // One check each, and a relink per key (the email and its domain) at most once per
        // RelinkAfter (30 s) while the burst lasts, whatever the number of captures.
        var relinks = 2 * ((int)(elapsed / TimeSpan.FromSeconds(30)) + 2);
        ingest.Should().BeLessThanOrEqualTo(count + retries + relinks, "one check per capture, and relinks by the time, not by the record");
        // Each capture writes onto 20 neighbours at most, its own record, index and lists; the
        // relinks add one write per record each time they run. Writing the pair onto every
        // neighbour, as before, cost about 100 writes a capture here, growing with the group.
        ((double)writes / count).Should().BeLessThan(60, "a capture's writes are bounded, not one per record already sharing its email");
    }
}
