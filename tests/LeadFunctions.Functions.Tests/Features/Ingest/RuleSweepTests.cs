using System.Net;

namespace LeadFunctions.Functions.Tests.Features.Ingest;

/// <summary>
/// A duplicate rule switched on reaches records stored while it was off, through a background
/// sweep (SPEC 4.2; no request scans). The sweep is queued before the settings are written: a
/// request that dies after either of the two writes, or whose write lands after the sweep has
/// run, never leaves the rule on without a sweep. On a host of its own: settings are global.
/// </summary>
public sealed class RuleSweepTests() : IsolatedHostTests(queues: true)
{
    // The company name is off throughout: the pair's company adds to its score, and only the contact-name rule can make it count.
    private static readonly object RuleOff = new { leadsEnabled = true, duplicateRules = new { contactName = false, companyName = false } };
    private static readonly object RuleOn = new { leadsEnabled = true, duplicateRules = new { contactName = true, companyName = false } };

    [Fact]
    public async Task Records_stored_while_a_rule_was_off_match_on_it_once_it_is_switched_on()
    {
        var (first, second) = await PairCheckedWithTheRuleOffAsync();

        await Client.SendJsonAsync(HttpMethod.Put, "settings", RuleOn, HttpStatusCode.OK);

        await ShouldMatchOnTheRuleAsync(first, second);
    }

    [Fact]
    public async Task A_sweep_that_runs_before_the_settings_write_lands_waits_for_it()
    {
        var (first, second) = await PairCheckedWithTheRuleOffAsync();
        var sweepLooked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Faults.Hold = async step =>
        {
            if (step == "sweep: settings not written yet")
            {
                sweepLooked.TrySetResult();
            }
            else if (step == "settings: sweep queued")
            {
                // The request stops between queueing the sweep and writing the settings until the sweep has run and found the rule still off.
                await sweepLooked.Task.WaitAsync(Api.Patience, TestContext.Current.CancellationToken);
            }
        };

        await Client.SendJsonAsync(HttpMethod.Put, "settings", RuleOn, HttpStatusCode.OK);

        sweepLooked.Task.IsCompletedSuccessfully.Should().BeTrue("the sweep ran before the write");
        Faults.Hold = null;
        await ShouldMatchOnTheRuleAsync(first, second);
    }

    [Fact]
    public async Task A_request_killed_right_after_the_settings_write_still_sweeps()
    {
        var (first, second) = await PairCheckedWithTheRuleOffAsync();
        Faults.Reset((_, step) => step == "settings: saved");

        await Client.SendJsonAsync(HttpMethod.Put, "settings", RuleOn, HttpStatusCode.InternalServerError);
        Faults.Reset();

        (await Client.GetJsonAsync("settings"))["duplicateRules"]!["contactName"]!.GetValue<bool>().Should().BeTrue("the write landed before the process died");
        await ShouldMatchOnTheRuleAsync(first, second);
    }

    [Fact]
    public async Task A_request_killed_between_queueing_the_sweep_and_the_settings_write_leaves_the_rule_off_and_its_retry_sweeps()
    {
        var (first, second) = await PairCheckedWithTheRuleOffAsync();
        Faults.Reset((_, step) => step == "settings: sweep queued");

        await Client.SendJsonAsync(HttpMethod.Put, "settings", RuleOn, HttpStatusCode.InternalServerError);
        Faults.Reset();

        (await Client.GetJsonAsync("settings"))["duplicateRules"]!["contactName"]!.GetValue<bool>().Should().BeFalse("the write never happened");
        await Client.SendJsonAsync(HttpMethod.Put, "settings", RuleOn, HttpStatusCode.OK);
        await ShouldMatchOnTheRuleAsync(first, second);
    }

    private async Task<(string First, string Second)> PairCheckedWithTheRuleOffAsync()
    {
        await Client.SendJsonAsync(HttpMethod.Put, "settings", RuleOff, HttpStatusCode.OK);
        var first = await Create(new { name = "First", contactName = "Beverly Crusher", companyName = "Starfleet Medical" });
        var second = await Create(new { name = "Second", contactName = "beverly CRUSHER", companyName = "STARFLEET medical" });
        (await Client.WaitCheckedAsync(first))["duplicateCheck"]!["similarCount"]!.GetValue<int>().Should().Be(0);
        (await Client.WaitCheckedAsync(second))["duplicateCheck"]!["similarCount"]!.GetValue<int>().Should().Be(0, "the rule is off");
        return (first, second);
    }

    private async Task ShouldMatchOnTheRuleAsync(string first, string second)
    {
        var checkedAgain = await Api.EventuallyAsync(() => Client.GetJsonAsync($"leads/{first}"), l => l["duplicateCheck"]!["similarCount"]!.GetValue<int>() == 1);
        checkedAgain["duplicateCheck"]!["similarIds"]![0]!.GetValue<string>().Should().Be(second);
        (await Client.SimilarAsync(second)).MatchedOn(first).Should().Equal("contact-name");
    }

    private async Task<string> Create(object body) =>
        (await Client.SendJsonAsync(HttpMethod.Post, "leads", body, HttpStatusCode.Created))["id"]!.GetValue<string>();
}
