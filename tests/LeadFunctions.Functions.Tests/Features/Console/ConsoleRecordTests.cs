using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LeadFunctions.Functions.Tests.Features.Console;

/// <summary>A record's page: history and notes, lose/win/restore, similar records (SPEC 9).</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleRecordTests(ConsoleBrowser browser)
{
    [Fact]
    public async Task The_record_page_takes_a_note_and_marks_the_record_lost_won_and_active_again()
    {
        var client = browser.Host.Client;
        var id = await client.LeadAsync(new { type = "opportunity", name = "Globex renewal", contactName = "Hank Scorpio", email = $"hank.{Guid.NewGuid():N}@globex.test", companyName = "Globex" });
        await client.WaitCheckedAsync(id);
        await using var tab = await browser.OpenAsync();
        await tab.Page.GotoAsync($"{browser.ConsoleAddress}#/lead/{id}");
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Globex renewal" })).ToBeVisibleAsync();
        var history = tab.Page.Locator("ol.log");
        await Expect(history).ToContainTextAsync("created");

        await tab.Page.Locator("textarea[name=message]").FillAsync("Called: wants a quote by Friday.");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Add note" }).ClickAsync();
        await Expect(history).ToContainTextAsync("Called: wants a quote by Friday.");

        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Mark lost…" }).ClickAsync();
        await tab.Page.GetByRole(AriaRole.Dialog).GetByLabel("Lost reason (optional)").FillAsync("Went with a competitor");
        await tab.Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Mark lost" }).ClickAsync();
        await Expect(tab.Page.Locator("main p.status .badge.lost")).ToBeVisibleAsync();
        await Expect(tab.Page.Locator("dl.fields")).ToContainTextAsync("Went with a competitor");
        (await client.LeadByIdAsync(id)).Text("status").Should().Be("lost");

        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Restore" }).ClickAsync();
        await Expect(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Mark won" })).ToBeVisibleAsync();
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Mark won" }).ClickAsync();
        await Expect(tab.Page.Locator("main p.status .badge.won")).ToBeVisibleAsync();
        (await client.LeadByIdAsync(id)).Text("status").Should().Be("won");
        await tab.ScreenshotAsync("record");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Restore" }).ClickAsync();
        await Expect(tab.Page.Locator("main p.status .badge.active")).ToBeVisibleAsync();
        (await client.LeadByIdAsync(id)).Text("status").Should().Be("active");
        await Expect(history).ToContainTextAsync("restored");
        tab.Errors.Should().BeEmpty();
    }

    [Fact]
    public async Task Markup_in_a_record_shows_as_text_and_never_runs()
    {
        var client = browser.Host.Client;
        var team = await client.TeamAsync($"Markup team {Guid.NewGuid():N}");
        const string name = "<img src=x onerror=\"window.__ran = 1\">Acme";
        const string description = "<script>window.__ran = 2</script><b onmouseover=\"window.__ran = 3\">bold</b>";
        var id = await client.LeadAsync(new { name, contactName = "\"><svg onload=window.__ran=4>", description, email = $"x.{Guid.NewGuid():N}@markup.test", teamId = team });
        await client.WaitCheckedAsync(id);
        await using var tab = await browser.OpenAsync();

        await tab.Page.GotoAsync($"{browser.ConsoleAddress}#/leads?type=lead&teamId={team}");
        await Expect(tab.Page.Locator("table.records td[data-label=Name]")).ToHaveTextAsync(name);
        await tab.Page.GotoAsync($"{browser.ConsoleAddress}#/lead/{id}");
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(name);
        await Expect(tab.Page.Locator("dl.fields")).ToContainTextAsync(description);
        await tab.Page.Locator("dl.fields").HoverAsync();

        (await tab.Page.EvaluateAsync<bool>("window.__ran === undefined")).Should().BeTrue("no stored text may run as script");
        (await tab.Page.Locator("main img, main script, main svg, main b").CountAsync()).Should().Be(0);
        tab.Errors.Should().BeEmpty();
    }

    [Fact]
    public async Task Similar_records_show_what_they_matched_on_and_a_pair_can_be_marked_not_a_duplicate()
    {
        var client = browser.Host.Client;
        var email = $"wanda.{Guid.NewGuid():N}@initech.test";
        var first = await client.LeadAsync(new { name = "Initech printers", email });
        var second = await client.LeadAsync(new { name = "Initech: more printers", email });
        await client.WaitCheckedAsync(first);
        await client.WaitCheckedAsync(second);
        await using var tab = await browser.OpenAsync();
        await tab.Page.GotoAsync($"{browser.ConsoleAddress}#/lead/{first}");

        var similar = tab.Page.Locator("section", new() { Has = tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Similar records" }) });
        var row = similar.Locator("tbody tr", new() { HasText = "Initech: more printers" });
        await Expect(row).ToBeVisibleAsync();
        await Expect(row.Locator("td[data-label='Matched on'] .badge").First).ToHaveTextAsync("email");
        await Expect(tab.Page.Locator("main p.status .badge.flag")).ToHaveTextAsync("1 similar");
        await tab.ScreenshotAsync("similar");

        await row.GetByRole(AriaRole.Button, new() { Name = "Not a duplicate" }).ClickAsync();
        await Expect(similar).ToContainTextAsync("No similar records.");
        (await client.SimilarAsync(first))["count"]!.GetValue<int>().Should().Be(0);
        (await client.SimilarAsync(second))["count"]!.GetValue<int>().Should().Be(0);
        tab.Errors.Should().BeEmpty();
    }
}
