using System.Text;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LeadFunctions.Functions.Tests.Features.Console;

/// <summary>Import of a CSV file with its progress and row errors, and every page on a phone-sized screen (SPEC 9).</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleImportTests(ConsoleBrowser browser)
{
    [Fact]
    public async Task A_csv_file_is_imported_with_its_progress_and_the_refused_rows_by_line()
    {
        var tag = Guid.NewGuid().ToString("N");
        var csv = $"name,email,companyName\nImported one,one.{tag}@import.test,Hooli\nImported two,not an email,Hooli\nImported three,three.{tag}@import.test,Hooli\n";
        await using var tab = await browser.OpenAsync();
        await tab.Page.GotoAsync($"{browser.ConsoleAddress}#/import");

        await tab.Page.GetByLabel("CSV file").SetInputFilesAsync(new FilePayload { Name = "leads.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Import" }).ClickAsync();

        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "leads.csv: done" })).ToBeVisibleAsync(new() { Timeout = 150_000 });
        await Expect(tab.Page.Locator("main")).ToContainTextAsync("3 of 3 rows read: 2 stored, 1 refused");
        await Expect(tab.Page.Locator("main")).ToContainTextAsync("2 checked for duplicates");
        var refused = tab.Page.Locator("table.records tbody tr");
        await Expect(refused).ToHaveCountAsync(1);
        await Expect(refused.Locator("td[data-label=Line]")).ToHaveTextAsync("3");
        await Expect(refused.Locator("td[data-label=Why]")).ToContainTextAsync("email");
        await tab.ScreenshotAsync("import");
        (await browser.Host.CountStoredLeadsAsync($"one.{tag}@import.test")).Should().Be(1);
        (await browser.Host.CountStoredLeadsAsync($"three.{tag}@import.test")).Should().Be(1);
        tab.Errors.Should().BeEmpty();
    }

    [Fact]
    public async Task Every_page_fits_a_phone_screen_without_scrolling_sideways()
    {
        var client = browser.Host.Client;
        var team = await client.TeamAsync($"Phone team {Guid.NewGuid():N}");
        var email = $"very.long.address.of.somebody.{Guid.NewGuid():N}@a-rather-long-company-domain.test";
        var first = await client.LeadAsync(new { name = "Phone-sized deal with a long name that wraps", email, companyName = "Stark Industries International", street = "10880 Malibu Point", city = "Malibu", teamId = team });
        var second = await client.LeadAsync(new { name = "Phone-sized web form", email, phone = "+14155550123", teamId = team });
        await client.WaitCheckedAsync(first);
        await client.WaitCheckedAsync(second);
        await using var tab = await browser.OpenAsync(width: 390, height: 844);

        async Task FitsAsync(string name)
        {
            await tab.ScreenshotAsync(name);
            var overflow = await tab.Page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
            overflow.Should().BeLessThanOrEqualTo(0, $"the {name} page should fit the phone's width");
            // A modal dialog sits above the page: it must fit by itself.
            var dialogOverflow = await tab.Page.EvaluateAsync<int>("(() => { const d = document.querySelector('dialog[open]'); return d ? Math.max(d.scrollWidth - d.clientWidth, d.getBoundingClientRect().right - window.innerWidth) : 0; })()");
            dialogOverflow.Should().BeLessThanOrEqualTo(0, $"the dialog on the {name} page should fit the phone's width");
        }

        await tab.Page.GotoAsync($"{browser.ConsoleAddress}#/leads?type=lead&teamId={team}");
        await Expect(tab.Page.Locator("table.records tbody tr")).ToHaveCountAsync(2);
        await FitsAsync("phone-leads");

        await tab.Page.GotoAsync($"{browser.ConsoleAddress}#/lead/{first}");
        await Expect(tab.Page.Locator("section", new() { HasText = "Similar records" }).Locator("tbody tr")).ToHaveCountAsync(1);
        await FitsAsync("phone-record");

        await tab.Page.GetByRole(AriaRole.Checkbox, new() { Name = "Select Phone-sized web form" }).CheckAsync();
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Merge with selected…" }).ClickAsync();
        await Expect(tab.Page.GetByRole(AriaRole.Dialog).Locator("button.pick").First).ToBeVisibleAsync();
        await FitsAsync("phone-merge-dialog");

        await tab.Page.Keyboard.PressAsync("Escape");
        await tab.Page.GotoAsync($"{browser.ConsoleAddress}#/import");
        await FitsAsync("phone-import");
        tab.Errors.Should().BeEmpty();
    }
}
