using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LeadFunctions.Functions.Tests.Features.Console;

/// <summary>
/// Issue 14's acceptance as one visit: a new user opens the console, types an API key, captures
/// through the web form, sees the duplicate flag, merges with a picked field, undoes it,
/// converts from the dialog's defaults and converts in bulk, using only what the pages show.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleJourneyTests(ConsoleBrowser browser)
{
    [Fact]
    public async Task A_new_user_captures_sees_the_flag_merges_undoes_converts_and_bulk_converts()
    {
        var client = browser.Host.Client;
        var email = $"ann.journey.{Guid.NewGuid():N}@journey.test";
        await using var tab = await browser.OpenAsync(signedIn: false);
        var page = tab.Page;
        await page.GotoAsync(browser.ConsoleAddress.ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Use an API key instead" }).ClickAsync();
        await page.GetByLabel("API key").FillAsync(browser.ApiKey);
        await page.GetByLabel("API key").PressAsync("Enter");

        // Capture twice through the console's web form (the capture script, same origin).
        await page.GetByRole(AriaRole.Link, new() { Name = "Web form" }).ClickAsync();
        var form = page.Locator("form[data-lead-form]");
        var ids = new List<string>();
        foreach (var (name, company) in new[] { ("Ann Journey", "Journeyco"), ("Ann J.", "Journey Corporation") })
        {
            await form.GetByLabel("Your name").FillAsync(name);
            await form.GetByLabel("Email").FillAsync(email);
            await form.GetByLabel("Company").FillAsync(company);
            await form.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
            await Expect(form).ToHaveAttributeAsync("data-lead-state", new System.Text.RegularExpressions.Regex("^(sent|error)$"));
            (await form.GetAttributeAsync("data-lead-state")).Should().Be("sent", await form.Locator("[data-lead-result]").InnerTextAsync());
            var id = await form.GetAttributeAsync("data-lead-id");
            ids.Add(id!);
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Open the captured lead" })).ToHaveAttributeAsync("href", $"#/lead/{id}");
            await form.EvaluateAsync("f => f.removeAttribute('data-lead-state')");
        }
        await tab.ScreenshotAsync("web-form");
        foreach (var id in ids)
        {
            // The first is counted again when the second is checked: wait for both counts.
            await Api.EventuallyAsync(() => client.LeadByIdAsync(id), lead => lead["duplicateCheck"]!["similarCount"]!.GetValue<int>() == 1);
        }

        // The list shows both, flagged.
        await page.GetByRole(AriaRole.Link, new() { Name = "Leads", Exact = true }).ClickAsync();
        await ConsoleData.Filter(page, "email").FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        var rows = page.Locator("table.records tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        // The check that ran last found the other record (either may run last). A listed copy keeps
        // the count of its own record's check; the record page shows the current count of both.
        await Expect(rows.Locator(".badge.flag").First).ToHaveTextAsync("1 similar");
        await tab.ScreenshotAsync("leads-flagged");

        // Merge, taking the second capture's company; then undo.
        await rows.Filter(new() { HasText = "Ann Journey" }).GetByRole(AriaRole.Checkbox).CheckAsync();
        await rows.Filter(new() { HasText = "Ann J." }).GetByRole(AriaRole.Checkbox).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Merge selected…" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        var picked = dialog.Locator($"button.pick[data-field=companyName][data-id='{ids[1]}']");
        await Expect(picked).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("Journey Corporation$"));
        await picked.ClickAsync();
        await Expect(picked).ToHaveAttributeAsync("aria-pressed", "true");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Merge", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Undo merge" })).ToBeVisibleAsync();
        (await client.LeadByIdAsync(ids[0])).Text("companyName").Should().Be("Journey Corporation");
        await page.GetByRole(AriaRole.Button, new() { Name = "Undo merge" }).ClickAsync();
        await Expect(page.Locator("#toast")).ToContainTextAsync("Merge undone");
        (await client.LeadByIdAsync(ids[1])).Text("status").Should().Be("active");
        (await client.LeadByIdAsync(ids[0])).Text("companyName").Should().Be("Journeyco");

        // Convert from the dialog's defaults: the duplicate by email is merged first (once the
        // record that came back from the undo has been checked again).
        await Api.EventuallyAsync(() => client.GetJsonAsync($"leads/{ids[0]}/conversion"), proposal => proposal["action"]!.GetValue<string>() == "merge");
        await page.GetByRole(AriaRole.Button, new() { Name = "Convert to opportunity…" }).ClickAsync();
        await Expect(dialog.GetByLabel("Merge with existing opportunities, then convert")).ToBeCheckedAsync();
        await Expect(dialog.GetByRole(AriaRole.Checkbox)).ToHaveCountAsync(1);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Convert", Exact = true }).ClickAsync();
        await Expect(page.Locator("main p.status .badge.type")).ToHaveTextAsync("opportunity");
        (await client.LeadByIdAsync(ids[0])).Text("type").Should().Be("opportunity");
        (await client.LeadByIdAsync(ids[1])).Text("status").Should().Be("merged");

        // Bulk conversion of a team's leads, the two salespeople taking turns.
        var (adaName, boName) = ($"Ada Journey {Guid.NewGuid():N}", $"Bo Journey {Guid.NewGuid():N}");
        var ada = await client.SalespersonAsync(adaName);
        var bo = await client.SalespersonAsync(boName);
        var team = await client.TeamAsync($"Journey team {Guid.NewGuid():N}", ada, bo);
        var leads = new List<string>();
        foreach (var name in new[] { "Journey lead one", "Journey lead two" })
        {
            leads.Add(await client.LeadAsync(new { name, email = $"{Guid.NewGuid():N}@journey-bulk.test", teamId = team }));
        }
        foreach (var id in leads)
        {
            await client.WaitCheckedAsync(id);
        }
        await page.ReloadAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Leads", Exact = true }).ClickAsync();
        await ConsoleData.Filter(page, "teamId").SelectOptionAsync(team);
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(2);
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Select Journey lead one" }).CheckAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Select Journey lead two" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Convert selected…" }).ClickAsync();
        await dialog.GetByLabel(adaName).CheckAsync();
        await dialog.GetByLabel(boName).CheckAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Convert 2 leads" }).ClickAsync();
        await Expect(dialog.Locator("caption")).ToHaveTextAsync("2 of 2 converted");
        (await client.LeadByIdAsync(leads[0])).Text("userId").Should().Be(ada);
        (await client.LeadByIdAsync(leads[1])).Text("userId").Should().Be(bo);
        tab.Errors.Should().BeEmpty();
    }
}
