namespace LeadFunctions.Functions.Tests.Features.Ingest;

/// <summary>
/// Anonymous visitors cannot switch the team's rules off (SPEC 4.2): their captures do not crowd
/// a key until a person acts on them; past 20 neighbours, the key's relink (every 3 s here)
/// writes the pairs a check left.
/// </summary>
public sealed class AnonymousCaptureTests() : IsolatedHostTests(queues: true, settings: new Dictionary<string, string?>
{
    ["Ingest:RelinkAfter"] = "00:00:03",
})
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(300);

    [Fact]
    public async Task Twenty_five_anonymous_captures_with_one_company_name_leave_two_team_made_records_with_that_name_similar_until_people_act_on_them()
    {
        var company = $"Target {Guid.NewGuid():N}"[..20];
        var unique = Api.UniqueDomain();
        // Free-mail addresses, so that only the company name and the contact's name match: each too
        // little alone, enough together, and both crowd once 21 of the team's records hold them.
        var contact = $"Dana Q{Guid.NewGuid():N}";
        var team = new[]
        {
            await TestRecords.CreateAsync(Client, new { name = "Store fit-out", email = $"buyer.{unique}@gmail.com", companyName = company, contactName = contact }),
            await TestRecords.CreateAsync(Client, new { name = "Store fit-out, phase 2", email = $"facilities.{unique}@gmail.com", companyName = company, contactName = contact }),
        };
        var captures = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            captures.Add(await Client.CaptureIdAsync(new { email = $"visitor{i}.{unique}@gmail.com", companyName = company, contactName = contact }));
        }
        foreach (var id in team.Concat(captures))
        {
            await Client.WaitCheckedAsync(id, Patience);
        }
        await Host.QuietAsync(Patience);

        (await Client.SimilarAsync(team[0])).MatchedOn(team[1]).Should().Contain("company-name", "captures do not crowd the team's company name");
        (await Client.SimilarAsync(team[1])).MatchedOn(team[0]).Should().Contain("company-name");
        foreach (var id in team.Concat(captures))
        {
            // Past 20 neighbours a check leaves its pairs to the key's relink: in the end every one holds them all.
            (await Client.GetJsonAsync($"leads/{id}"))["duplicateCheck"]!["similarCount"]!.GetValue<int>()
                .Should().Be(26, "27 records share the company and contact names, none crowds them");
        }

        // A note is a person acting on a capture: it is the team's from then, and 21 team records crowd the name.
        foreach (var id in captures.Take(19))
        {
            await Client.SendJsonAsync(HttpMethod.Post, $"leads/{id}/notes", new { message = "Called back." }, System.Net.HttpStatusCode.Created);
        }
        await Host.QuietAsync(Patience);
        foreach (var id in team.Concat(captures))
        {
            var lead = await Api.EventuallyAsync(() => Client.GetJsonAsync($"leads/{id}"),
                l => l["duplicateCheck"]!["status"]!.GetValue<string>() == "done" && l["duplicateCheck"]!["similarCount"]!.GetValue<int>() == 0);
            lead["duplicateCheck"]!["similarCount"]!.GetValue<int>().Should().Be(0, "21 of the team's records crowd the names");
        }
    }
}
