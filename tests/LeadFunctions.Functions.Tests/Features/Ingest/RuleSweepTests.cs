using System.Net;

namespace LeadFunctions.Functions.Tests.Features.Ingest;

/// <summary>
/// A duplicate rule switched on reaches records stored while it was off, through a background
/// sweep (SPEC 4.2; no request scans). On a host of its own: settings are global.
/// </summary>
public sealed class RuleSweepTests() : IsolatedHostTests(queues: true)
{
    [Fact]
    public async Task Records_stored_while_a_rule_was_off_match_on_it_once_it_is_switched_on()
    {
        await Client.SendJsonAsync(HttpMethod.Put, "settings", new { leadsEnabled = true, duplicateRules = new { contactName = false } }, HttpStatusCode.OK);
        var first = await Create(new { name = "First", contactName = "Beverly Crusher" });
        var second = await Create(new { name = "Second", contactName = "beverly CRUSHER" });
        (await Client.WaitCheckedAsync(first))["duplicateCheck"]!["similarCount"]!.GetValue<int>().Should().Be(0);
        (await Client.WaitCheckedAsync(second))["duplicateCheck"]!["similarCount"]!.GetValue<int>().Should().Be(0, "the rule is off");

        await Client.SendJsonAsync(HttpMethod.Put, "settings", new { leadsEnabled = true, duplicateRules = new { contactName = true } }, HttpStatusCode.OK);

        var checkedAgain = await Api.EventuallyAsync(() => Client.GetJsonAsync($"leads/{first}"), l => l["duplicateCheck"]!["similarCount"]!.GetValue<int>() == 1);
        checkedAgain["duplicateCheck"]!["similarIds"]![0]!.GetValue<string>().Should().Be(second);
        (await Client.SimilarAsync(second)).MatchedOn(first).Should().Equal("contact-name");
    }

    private async Task<string> Create(object body) =>
        (await Client.SendJsonAsync(HttpMethod.Post, "leads", body, HttpStatusCode.Created))["id"]!.GetValue<string>();
}
