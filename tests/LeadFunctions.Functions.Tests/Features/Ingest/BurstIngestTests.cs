using LeadFunctions.LocalHost;
using Microsoft.Extensions.DependencyInjection;

namespace LeadFunctions.Functions.Tests.Features.Ingest;

/// <summary>
/// Ingest at a flat cost per lead (SPEC 4.2): a record's check updates its neighbours in place,
/// so a burst costs one check per lead, and a record is done only once its count is final.
/// Each test has a host of its own, so that the executions counted are its own.
/// </summary>
public sealed class BurstIngestTests() : IsolatedHostTests(queues: true)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private FunctionExecutions Executions => Host.Services.GetRequiredService<FunctionExecutions>();

    [Fact]
    public async Task A_burst_of_200_captures_in_groups_of_10_ends_with_every_record_done_with_9_similar_at_one_check_each()
    {
        const int groups = 20, groupSize = 10;
        // Free-mail addresses: an anonymous capture's company domain would pair all 200 (captures do not crowd it).
        var unique = Api.UniqueDomain();
        var captures = Enumerable.Range(0, groups * groupSize)
            .Select(i => new { email = $"group{i % groups}.{unique}@gmail.com", contactName = $"Person {i}", message = $"Form {i}" })
            .ToList();
        var ids = new string[captures.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, captures.Count),
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = TestContext.Current.CancellationToken },
            async (i, _) => ids[i] = await Client.CaptureIdAsync(captures[i]));

        foreach (var id in ids)
        {
            await Client.WaitCheckedAsync(id, Patience);
        }

        // Done means final: once every record shows done, no work is left that would change a count.
        var wrong = new List<string>();
        foreach (var id in ids)
        {
            var check = (await Client.GetJsonAsync($"leads/{id}"))["duplicateCheck"]!;
            if (check["similarCount"]!.GetValue<int>() != groupSize - 1)
            {
                wrong.Add($"{id}: {check.ToJsonString()}");
            }
        }
        wrong.Should().BeEmpty("a record is done only when its count is final");
        await Host.QuietAsync(Patience);
        foreach (var id in ids.Take(groupSize))
        {
            ((await Client.SimilarAsync(id))["count"]!.GetValue<int>()).Should().Be(groupSize - 1);
        }

        var retries = Executions.FailuresOf("IngestLead");
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{ids.Length} captures: {Executions["Capture"]} capture and {Executions["IngestLead"]} ingest executions, {retries} of them retries");
        Executions["Capture"].Should().Be(ids.Length);
        Executions["IngestLead"].Should().BeLessThanOrEqualTo(ids.Length + retries, "one check per lead, never a re-check of each neighbour");
    }

    [Fact]
    public async Task Two_similar_records_checked_at_the_same_moment_both_find_each_other()
    {
        // Both checks are held once they have indexed themselves, until both got there: each then
        // reads the index while the other is in it, and both write the pair at the same time.
        var arrived = 0;
        var both = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Faults.Hold = async step =>
        {
            if (step != "ingest:indexed")
            {
                return;
            }
            if (Interlocked.Increment(ref arrived) == 2)
            {
                both.TrySetResult();
            }
            await both.Task.WaitAsync(Patience);
        };
        var email = $"twins@{Api.UniqueDomain()}";
        var first = await Client.CaptureIdAsync(new { email, message = "first" });
        var second = await Client.CaptureIdAsync(new { email, message = "second" });

        var checkedFirst = await Client.WaitCheckedAsync(first, Patience);
        var checkedSecond = await Client.WaitCheckedAsync(second, Patience);

        arrived.Should().BeGreaterThanOrEqualTo(2, "both checks were held at the same step");
        both.Task.IsCompletedSuccessfully.Should().BeTrue();
        checkedFirst["duplicateCheck"]!["similarIds"]!.AsArray().Select(n => n!.GetValue<string>()).Should().Equal(second);
        checkedSecond["duplicateCheck"]!["similarIds"]!.AsArray().Select(n => n!.GetValue<string>()).Should().Equal(first);
        (await SimilarIdsAsync(first)).Should().Equal(second);
        (await SimilarIdsAsync(second)).Should().Equal(first);
    }

    [Fact]
    public async Task A_domain_reaching_21_records_stops_counting_with_neighbour_writes_not_re_checks()
    {
        var domain = Api.UniqueDomain();
        var ids = new List<string>();
        for (var i = 0; i < 21; i++)
        {
            // Made by the team: anonymous captures do not crowd a domain.
            ids.Add(await TestRecords.CreateAsync(Client, new { email = $"p{i}@{domain}" }));
            await Client.WaitCheckedAsync(ids[^1], Patience);
        }
        await Host.QuietAsync(Patience);

        foreach (var id in ids)
        {
            var lead = await Client.GetJsonAsync($"leads/{id}");
            lead["duplicateCheck"]!["similarCount"]!.GetValue<int>().Should().Be(0, "a domain of 21 records says nothing");
            ((await Client.SimilarAsync(id))["count"]!.GetValue<int>()).Should().Be(0);
        }
        var retries = Executions.FailuresOf("IngestLead");
        TestContext.Current.TestOutputHelper?.WriteLine($"21 records: {Executions["IngestLead"]} ingest executions, {retries} of them retries");
        Executions["IngestLead"].Should().BeLessThanOrEqualTo(ids.Count + retries, "the 21st record's check writes to the 20 others, it queues no re-check");
    }

    private async Task<List<string>> SimilarIdsAsync(string id) =>
        (await Client.SimilarAsync(id))["items"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()).ToList();
}
