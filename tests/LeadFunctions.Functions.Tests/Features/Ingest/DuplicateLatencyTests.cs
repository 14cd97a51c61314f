using System.Diagnostics;

namespace LeadFunctions.Functions.Tests.Features.Ingest;

/// <summary>
/// A duplicate written another way is flagged on both records, on a host of its own. How fast is
/// the benchmark's figure (capture → done p95, SPEC 8), not a wall-clock deadline here: on two
/// busy cores a test can only report the time it saw.
/// </summary>
public sealed class DuplicateLatencyTests() : IsolatedHostTests(queues: true)
{
    [Fact]
    public async Task The_same_email_written_two_ways_is_flagged_and_both_list_each_other()
    {
        var first = await Client.CaptureIdAsync(new { name = "Ann", email = "Ann.Lee@Acme-Corp.test" });
        await Client.WaitCheckedAsync(first);

        var clock = Stopwatch.StartNew();
        var second = await Client.CaptureIdAsync(new { name = "Ann again", email = "\"Ann L\" <ann.lee@acme-corp.test>" });
        var flagged = await Client.WaitCheckedAsync(second);
        TestContext.Current.TestOutputHelper?.WriteLine($"Flagged {clock.Elapsed.TotalMilliseconds:F0} ms after the capture was sent.");

        flagged["duplicateCheck"]!["similarCount"]!.GetValue<int>().Should().Be(1);
        flagged["duplicateCheck"]!["similarIds"]!.AsArray().Select(i => i!.GetValue<string>()).Should().Equal(first);
        flagged["email"]!.GetValue<string>().Should().Be("\"Ann L\" <ann.lee@acme-corp.test>", "the stored value is never altered");

        var ofSecond = await Client.SimilarAsync(second);
        ofSecond.Ids().Should().Equal(first);
        ofSecond.MatchedOn(first).Should().Contain("email");
        var ofFirst = await Client.SimilarAsync(first);
        ofFirst.Ids().Should().Equal(second);
        ofFirst.MatchedOn(second).Should().Contain("email");

        var log = await Client.GetJsonAsync($"leads/{second}/log");
        log["items"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()).Should().Equal("duplicate-flagged", "created");
        // The first record is checked again for the newcomer, so its own duplicateCheck agrees.
        (await Api.EventuallyAsync(() => Client.GetJsonAsync($"leads/{first}"), l => l["duplicateCheck"]!["similarCount"]!.GetValue<int>() == 1))
            ["duplicateCheck"]!["similarIds"]!.AsArray().Select(i => i!.GetValue<string>()).Should().Equal(second);
    }
}
