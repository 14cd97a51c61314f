using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LeadFunctions.Functions.Tests.Features.Console;

/// <summary>The merge dialog, by keyboard only, and undo from the merged record's page (SPEC 9).</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleMergeTests(ConsoleBrowser browser)
{
    [Fact]
    public async Task Two_duplicates_are_merged_by_keyboard_with_a_picked_field_and_the_merge_is_undone()
    {
        var client = browser.Host.Client;
        var team = await client.TeamAsync($"Merge team {Guid.NewGuid():N}");
        var email = $"lena.{Guid.NewGuid():N}@umbrella.test";
        var kept = await client.LeadAsync(new { name = "Umbrella deal", email, phone = "+14155550100", companyName = "Umbrella", teamId = team });
        var other = await client.LeadAsync(new { name = "Umbrella web form", email, phone = "+14155550199", companyName = "Umbrella Corp", teamId = team });
        await client.WaitCheckedAsync(kept);
        await client.WaitCheckedAsync(other);
        await using var tab = await browser.OpenAsync();
        await tab.Page.GotoAsync($"{browser.ConsoleAddress}#/leads?type=lead&teamId={team}");
        await Expect(tab.Page.Locator("table.records tbody tr")).ToHaveCountAsync(2);

        await tab.TabToAsync(tab.Page.GetByRole(AriaRole.Checkbox, new() { Name = "Select Umbrella deal" }));
        await tab.Page.Keyboard.PressAsync("Space");
        await tab.TabToAsync(tab.Page.GetByRole(AriaRole.Checkbox, new() { Name = "Select Umbrella web form" }));
        await tab.Page.Keyboard.PressAsync("Space");
        await tab.TabToAsync(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Merge selected…" }), backwards: true);
        await tab.Page.Keyboard.PressAsync("Enter");

        var dialog = tab.Page.GetByRole(AriaRole.Dialog);
        var keptPhone = dialog.Locator($"button.pick[data-field=phone][data-id='{kept}']");
        var otherPhone = dialog.Locator($"button.pick[data-field=phone][data-id='{other}']");
        await Expect(keptPhone).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(otherPhone).ToHaveAttributeAsync("aria-pressed", "false");
        await tab.ScreenshotAsync("merge-dialog");

        await tab.TabToAsync(otherPhone);
        await tab.Page.Keyboard.PressAsync("Enter");
        await Expect(dialog.Locator($"button.pick[data-field=phone][data-id='{other}']")).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(dialog.Locator("tr", new() { Has = tab.Page.GetByRole(AriaRole.Rowheader, new() { Name = "Phone", Exact = true }) })).ToContainTextAsync("(picked)");
        await tab.ScreenshotAsync("merge-dialog-picked");
        await tab.TabToAsync(dialog.GetByRole(AriaRole.Button, new() { Name = "Merge", Exact = true }));
        await tab.Page.Keyboard.PressAsync("Enter");

        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Umbrella deal" })).ToBeVisibleAsync();
        var survivor = await client.LeadByIdAsync(kept);
        survivor.Text("phone").Should().Be("+14155550199", "the phone was picked from the other record");
        survivor.Text("companyName").Should().Be("Umbrella");
        (await client.LeadByIdAsync(other)).Text("status").Should().Be("merged");
        var undo = tab.Page.GetByRole(AriaRole.Button, new() { Name = "Undo merge" });
        await Expect(undo).ToBeVisibleAsync();
        await tab.ScreenshotAsync("merged-record");

        await tab.TabToAsync(undo);
        await tab.Page.Keyboard.PressAsync("Enter");
        await Expect(tab.Page.Locator("#toast")).ToContainTextAsync("Merge undone");
        await Expect(tab.Page.Locator("ol.log")).ToContainTextAsync("unmerged");
        (await client.LeadByIdAsync(other)).Text("status").Should().Be("active");
        (await client.LeadByIdAsync(kept)).Text("phone").Should().Be("+14155550100");
        await Expect(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Undo merge" })).ToHaveCountAsync(0);
        tab.Errors.Should().BeEmpty();
    }
}
