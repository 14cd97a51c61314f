using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LeadFunctions.Functions.Tests.Features.Console;

/// <summary>
/// Issue 27's browser acceptance: people sign in through MSAL.js against the host's development
/// identity provider (its real sign-in page, code flow with PKCE, tokens the app validates as it
/// validates Entra ID's), work as themselves, and an admin manages API keys. Nothing is mocked.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleSignInTests(ConsoleBrowser browser)
{
    [Fact]
    public async Task A_salesperson_signs_in_merges_and_converts_under_their_name_and_is_refused_the_API_keys_page()
    {
        var client = browser.Host.Client;
        var name = $"Sam Seller {Guid.NewGuid():N}"[..20];
        var email = $"sam.{Guid.NewGuid():N}@sales.test";
        await client.SendJsonAsync(HttpMethod.Post, "salespeople", new { name, email }, HttpStatusCode.Created);
        var team = await client.TeamAsync($"Sign-in team {Guid.NewGuid():N}");
        // A company and domain of their own: the similar records of other tests stay apart from these.
        var tag = Guid.NewGuid().ToString("N")[..8];
        var leadEmail = $"rita@aviato{tag}.test";
        var kept = await client.LeadAsync(new { name = $"Aviato deal {tag}", email = leadEmail, companyName = $"Aviato {tag}", teamId = team });
        var other = await client.LeadAsync(new { name = $"Aviato web form {tag}", email = leadEmail, companyName = $"Aviato {tag} Inc", teamId = team });
        await client.WaitCheckedAsync(kept);
        await client.WaitCheckedAsync(other);

        await using var tab = await browser.OpenAsync(signedIn: false);
        var page = tab.Page;
        await page.GotoAsync($"{browser.ConsoleAddress}#/leads?type=lead&teamId={team}");
        await tab.SignInAsync(email, name, "sales");
        await Expect(page.Locator("#who")).ToHaveTextAsync($"Signed in: {name} · sales");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "API keys" })).ToHaveCountAsync(0);

        // Back on the page the sign-in started from: the team's two leads.
        var rows = page.Locator("table.records tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await page.GetByRole(AriaRole.Checkbox, new() { Name = $"Select Aviato deal {tag}" }).CheckAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = $"Select Aviato web form {tag}" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Merge selected…" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Merge", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Undo merge" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Convert to opportunity…" }).ClickAsync();
        // Just this record (the proposal may also offer other records that look alike, such as another test's).
        await dialog.GetByLabel("Convert to opportunity", new() { Exact = true }).CheckAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Convert", Exact = true }).ClickAsync();
        await Expect(page.Locator("main p.status .badge.type")).ToHaveTextAsync("opportunity");

        var log = page.Locator("ol.log li");
        await Expect(log.Filter(new() { HasText = "· merged" }).First).ToContainTextAsync($"by {name}");
        await Expect(log.Filter(new() { HasText = "· converted" }).First).ToContainTextAsync($"by {name}");
        await tab.ScreenshotAsync("signed-in-history");
        (await client.LeadByIdAsync(kept)).Text("type").Should().Be("opportunity");
        (await client.LeadByIdAsync(other)).Text("status").Should().Be("merged");

        await page.GotoAsync($"{browser.ConsoleAddress}#/apikeys");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "API keys", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("needs the admin role");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Create key" })).ToHaveCountAsync(0);
        await tab.ScreenshotAsync("apikeys-refused");
        tab.Errors.Should().BeEmpty();
    }

    [Fact]
    public async Task An_admin_makes_an_API_key_that_the_API_accepts_and_refuses_once_it_is_revoked()
    {
        await using var tab = await browser.OpenAsync(signedIn: false);
        var page = tab.Page;
        await page.GotoAsync(browser.ConsoleAddress.ToString());
        await tab.SignInAsync(DevCredentials.AdminEmail, "Ada Admin", "admin");
        await Expect(page.Locator("#who")).ToHaveTextAsync("Signed in: Ada Admin · admin");

        await page.GetByRole(AriaRole.Link, new() { Name = "API keys" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "API keys", Level = 1 })).ToBeVisibleAsync();
        var keyName = $"Shop sync {Guid.NewGuid():N}";
        await page.GetByLabel("Name (who or what uses it)").FillAsync(keyName);
        await page.GetByLabel("Role").SelectOptionAsync("sales");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        var shown = page.Locator("#new-key");
        await Expect(shown).ToBeFocusedAsync();
        await Expect(page.GetByText("it will not be shown again")).ToBeVisibleAsync();
        var key = await shown.InputValueAsync();
        key.Should().StartWith("lf_");
        var row = page.Locator("table.records tbody tr", new() { HasText = keyName });
        await Expect(row).ToContainTextAsync("Ada Admin");
        await tab.ScreenshotAsync("apikeys-created");

        using var machine = new HttpClient { BaseAddress = browser.ApiBase };
        machine.DefaultRequestHeaders.Add("x-api-key", key);
        using (var accepted = await machine.GetAsync("leads?pageSize=1", TestContext.Current.CancellationToken))
        {
            accepted.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        await row.GetByRole(AriaRole.Button, new() { Name = $"Revoke {keyName}" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" })).ToBeFocusedAsync();
        await tab.ScreenshotAsync("apikeys-revoke");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Revoke key" }).ClickAsync();
        await Expect(page.Locator("#toast")).ToContainTextAsync($"Revoked \"{keyName}\"");
        await Expect(page.Locator("table.records tbody tr", new() { HasText = keyName })).ToHaveCountAsync(0);

        using var refused = await machine.GetAsync("leads?pageSize=1", TestContext.Current.CancellationToken);
        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        tab.Errors.Should().BeEmpty();
    }

    [Fact]
    public async Task Signing_in_takes_the_keyboard_alone_from_the_start_page_through_the_provider_and_back()
    {
        await using var tab = await browser.OpenAsync(signedIn: false);
        var page = tab.Page;
        await page.GotoAsync(browser.ConsoleAddress.ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sales console" })).ToBeVisibleAsync();
        await tab.ScreenshotAsync("start");

        await tab.TabToAsync(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }));
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(new Regex("/\\.auth/dev/authorize"));
        var email = page.GetByLabel("Email");
        await Expect(email).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(DevCredentials.AdminEmail);
        await tab.TabToAsync(page.GetByLabel("Display name"));
        await page.Keyboard.TypeAsync("Kim Keys");
        var admin = Role(page, "admin");
        await tab.TabToAsync(admin);
        await page.Keyboard.PressAsync("Space");
        await Expect(admin).ToBeCheckedAsync();
        await tab.ScreenshotAsync("sign-in-provider");
        await tab.TabToAsync(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }));
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.Locator("#who")).ToHaveTextAsync("Signed in: Kim Keys · admin");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Leads", Level = 1 })).ToBeFocusedAsync();
        await tab.ScreenshotAsync("signed-in");
        tab.Errors.Should().BeEmpty();
    }

    [Fact]
    public async Task A_person_the_directory_does_not_know_is_told_they_are_not_let_in_yet_and_can_sign_out()
    {
        await using var tab = await browser.OpenAsync(signedIn: false);
        var page = tab.Page;
        await page.GotoAsync(browser.ConsoleAddress.ToString());
        await tab.SignInAsync($"newcomer.{Guid.NewGuid():N}@sales.test", "Nia Newcomer", "sales");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not let in yet" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not let in yet");
        await Expect(page.Locator("#nav")).ToBeHiddenAsync();
        await tab.ScreenshotAsync("not-let-in");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
        page.Url.Should().StartWith(browser.ConsoleAddress.ToString());
        tab.Errors.Should().BeEmpty();
    }

    /// <summary>A role's box on the provider's page, by its label ("sales: …"; "manager: …" mentions salespeople).</summary>
    private static ILocator Role(IPage page, string role) => BrowserTab.RoleBox(page, role);
}
