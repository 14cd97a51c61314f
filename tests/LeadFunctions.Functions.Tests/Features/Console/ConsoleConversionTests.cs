using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LeadFunctions.Functions.Tests.Features.Console;

/// <summary>The conversion dialog by keyboard, and bulk conversion with round-robin (SPEC 9).</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleConversionTests(ConsoleBrowser browser)
{
    [Fact]
    public async Task A_lead_is_converted_by_keyboard_from_the_dialog_the_defaults_fill()
    {
        var client = browser.Host.Client;
        var seller = await client.SalespersonAsync($"Quinn Keyboard {Guid.NewGuid():N}");
        var team = await client.TeamAsync($"Convert team {Guid.NewGuid():N}", seller);
        var id = await client.LeadAsync(new { name = "Soylent pilot", contactName = "Sol Green", email = $"sol.{Guid.NewGuid():N}@soylent.test", companyName = "Soylent", teamId = team });
        await client.WaitCheckedAsync(id);
        await using var tab = await browser.OpenAsync();
        await tab.Page.GotoAsync($"{browser.ConsoleAddress}#/lead/{id}");
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Soylent pilot" })).ToBeVisibleAsync();

        await tab.TabToAsync(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Convert to opportunity…" }));
        await tab.Page.Keyboard.PressAsync("Enter");
        var dialog = tab.Page.GetByRole(AriaRole.Dialog);
        await Expect(dialog.GetByLabel("Convert to opportunity", new() { Exact = true })).ToBeCheckedAsync();
        await Expect(dialog.GetByLabel("Create a new customer")).ToBeCheckedAsync();
        await Expect(dialog.GetByLabel("Sales team")).ToHaveValueAsync(team);

        var salesperson = dialog.Locator("select[name=userId]");
        await tab.TabToAsync(salesperson);
        for (var i = 0; i < 500 && await salesperson.InputValueAsync() != seller; i++)
        {
            await tab.Page.Keyboard.PressAsync("ArrowDown");
        }
        await Expect(salesperson).ToHaveValueAsync(seller);
        await tab.ScreenshotAsync("convert-dialog");
        await tab.TabToAsync(dialog.GetByRole(AriaRole.Button, new() { Name = "Convert", Exact = true }));
        await tab.Page.Keyboard.PressAsync("Enter");

        await Expect(tab.Page.Locator("main p.status .badge.type")).ToHaveTextAsync("opportunity");
        await tab.ScreenshotAsync("converted-record");
        var lead = await client.LeadByIdAsync(id);
        lead.Text("type").Should().Be("opportunity");
        lead.Text("userId").Should().Be(seller);
        lead.Text("teamId").Should().Be(team);
        lead.Text("customerId").Should().NotBeEmpty("the dialog's default was to create a customer");
        tab.Errors.Should().BeEmpty();
    }

    [Fact]
    public async Task Selected_leads_are_converted_in_bulk_with_the_chosen_salespeople_taking_turns()
    {
        var client = browser.Host.Client;
        var (firstName, secondName) = ($"Ada Turn {Guid.NewGuid():N}", $"Bo Turn {Guid.NewGuid():N}");
        var first = await client.SalespersonAsync(firstName);
        var second = await client.SalespersonAsync(secondName);
        var team = await client.TeamAsync($"Bulk team {Guid.NewGuid():N}", first, second);
        var ids = new List<string>();
        foreach (var name in new[] { "Bulk one", "Bulk two", "Bulk three" })
        {
            ids.Add(await client.LeadAsync(new { name, email = $"{name.Replace(' ', '.')}.{Guid.NewGuid():N}@bulk.test", teamId = team }));
        }
        foreach (var id in ids)
        {
            await client.WaitCheckedAsync(id);
        }
        await using var tab = await browser.OpenAsync();
        await tab.Page.GotoAsync($"{browser.ConsoleAddress}#/leads?type=lead&teamId={team}");
        await Expect(tab.Page.Locator("table.records tbody tr")).ToHaveCountAsync(3);
        foreach (var name in new[] { "Bulk one", "Bulk two", "Bulk three" })
        {
            await tab.Page.GetByRole(AriaRole.Checkbox, new() { Name = $"Select {name}" }).CheckAsync();
        }
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Convert selected…" }).ClickAsync();

        var dialog = tab.Page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel(firstName).CheckAsync();
        await dialog.GetByLabel(secondName).CheckAsync();
        await Expect(dialog).ToContainTextAsync($"Round-robin in this order: {firstName}, {secondName}.");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Convert 3 leads" }).ClickAsync();
        await Expect(dialog.Locator("caption")).ToHaveTextAsync("3 of 3 converted");
        await tab.ScreenshotAsync("bulk-convert");

        var assigned = new List<string>();
        foreach (var id in ids)
        {
            var lead = await client.LeadByIdAsync(id);
            lead.Text("type").Should().Be("opportunity");
            assigned.Add(lead.Text("userId"));
        }
        assigned.Should().Equal(first, second, first);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await Expect(tab.Page.GetByText("No records match these filters.")).ToBeVisibleAsync();
        await ConsoleData.Filter(tab.Page, "type").SelectOptionAsync("opportunity");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Opportunities", Exact = true })).ToBeVisibleAsync();
        await Expect(tab.Page.Locator("table.records tbody tr td[data-label=Salesperson]")).ToHaveTextAsync([
            await NameAsync(client, first), await NameAsync(client, second), await NameAsync(client, first)]);
        await tab.ScreenshotAsync("opportunities");
        tab.Errors.Should().BeEmpty();
    }

    private static async Task<string> NameAsync(HttpClient client, string salespersonId) =>
        (await client.GetJsonAsync($"salespeople/{salespersonId}")).Text("name");
}
