using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LeadFunctions.Functions.Tests.Features.Console;

/// <summary>Signing in, and the lists with their filters and paging (SPEC 9).</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleListTests(ConsoleBrowser browser)
{
    [Fact]
    public async Task A_new_user_types_the_key_once_and_sees_the_leads()
    {
        await using var tab = await browser.OpenAsync(signedIn: false);
        await tab.Page.GotoAsync(browser.ConsoleAddress.ToString());
        await Expect(tab.Page.GetByRole(AriaRole.Navigation)).ToBeHiddenAsync();
        // People sign in with their account; a key is the second way, one click away.
        await Expect(tab.Page.GetByLabel("API key")).ToBeHiddenAsync();
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Use an API key instead" }).ClickAsync();
        await Expect(tab.Page.GetByLabel("API key")).ToBeFocusedAsync();

        await tab.Page.GetByLabel("API key").FillAsync("not-the-key");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Open the console" }).ClickAsync();
        await Expect(tab.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not valid");
        await tab.ScreenshotAsync("sign-in");

        await tab.Page.GetByLabel("API key").FillAsync(browser.ApiKey);
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Open the console" }).ClickAsync();
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Leads", Exact = true })).ToBeVisibleAsync();
        (await tab.Page.EvaluateAsync<string>("sessionStorage.getItem('leadfunctions.credential')")).Should().Be(browser.ApiKey);
        tab.Page.Url.Should().NotContain(browser.ApiKey);

        // A reload keeps the tab signed in; signing out forgets the key.
        await tab.Page.ReloadAsync();
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Leads", Exact = true })).ToBeVisibleAsync();
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Use an API key instead" })).ToBeVisibleAsync();
        (await tab.Page.EvaluateAsync<string?>("sessionStorage.getItem('leadfunctions.credential')")).Should().BeNull();
        tab.Errors.Should().BeEmpty();
    }

    [Fact]
    public async Task The_list_pages_through_a_team_and_filters_by_status()
    {
        var client = browser.Host.Client;
        var team = await client.TeamAsync($"List team {Guid.NewGuid():N}");
        var ids = new List<string>();
        for (var i = 1; i <= 12; i++)
        {
            ids.Add(await client.LeadAsync(new { name = $"Paged lead {i:00}", email = $"paged{i}.{Guid.NewGuid():N}@list.test", teamId = team }));
        }
        await client.SendJsonAsync(HttpMethod.Post, $"leads/{ids[4]}/lose", new { reason = "Too small" }, System.Net.HttpStatusCode.OK);
        foreach (var id in ids)
        {
            await client.WaitCheckedAsync(id);
        }
        await using var tab = await browser.OpenAsync();

        await tab.Page.GotoAsync($"{browser.ConsoleAddress}#/leads?type=lead&teamId={team}&pageSize=10");
        var rows = tab.Page.Locator("table.records tbody tr");
        await Expect(tab.Page.Locator("table.records caption")).ToHaveTextAsync("Page 1");
        await tab.ScreenshotAsync("leads");
        var seen = new List<string>();
        var next = tab.Page.GetByRole(AriaRole.Button, new() { Name = "Next page" });
        for (var page = 1; ; page++)
        {
            await Expect(tab.Page.Locator("table.records caption")).ToHaveTextAsync($"Page {page}");
            seen.AddRange(await rows.Locator("td[data-label=Name]").AllInnerTextsAsync());
            if (await next.IsDisabledAsync())
            {
                break;
            }
            await next.ClickAsync();
        }
        seen.Should().BeEquivalentTo(Enumerable.Range(1, 12).Select(i => $"Paged lead {i:00}"));
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Previous page" }).ClickAsync();

        await ConsoleData.Filter(tab.Page, "status").SelectOptionAsync("lost");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("Paged lead 05");
        tab.Page.Url.Should().Contain("status=lost");
        tab.Errors.Should().BeEmpty();
    }
}
