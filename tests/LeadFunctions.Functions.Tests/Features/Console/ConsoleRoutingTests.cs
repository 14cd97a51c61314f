using System.Net;
using System.Text.Json.Nodes;
using LeadFunctions.Azurite;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LeadFunctions.Functions.Tests.Features.Console;

/// <summary>
/// Lead routing in the console (SPEC 9, 11): why a record has its owner, the teams with their rules
/// and their members' load, and a manager changing a team's routing while a salesperson only reads it.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleRoutingTests(ConsoleBrowser browser, RoutingHost routing) : IClassFixture<RoutingHost>
{
    [Fact]
    public async Task A_routed_record_says_why_and_its_team_shows_the_rules_and_each_members_load()
    {
        var client = routing.Client;
        var tag = Tag();
        var lea = await PersonAsync(client, new { name = $"Lea {tag}", email = $"lea.{tag}@sales.test", capacity = 20 });
        var max = await PersonAsync(client, new { name = $"Max {tag}", awayUntil = DateTimeOffset.UtcNow.AddDays(30) });
        var team = await TeamAsync(client, new
        {
            name = $"Benelux {tag}", memberIds = new[] { lea, max }, sequence = 1, respondWithin = "PT2H",
            rules = new[] { new { field = "country", op = "in", values = new[] { "BE", "NL", "LU" } } },
        });
        // No salesperson: the rules give it one after its duplicate check.
        var id = await client.LeadAsync(new { name = $"Brussels fair {tag}", email = $"jan@{Api.UniqueDomain()}", country = "BE" });
        var record = await AssignedAsync(client, id);
        record.Text("userId").Should().Be(lea, "Max is away");
        var reason = record["assignment"]!["reason"]!.GetValue<string>();
        reason.Should().StartWith($"country BE matched team Benelux {tag}; Lea {tag} had 0 of 20");

        await using var tab = await browser.OpenAsync(apiKey: routing.AdminKey);
        var page = tab.Page;
        await page.GotoAsync($"{routing.ConsoleAddress}#/lead/{id}");
        var why = page.Locator("dl.fields dd.why");
        await Expect(why).ToContainTextAsync($"Assigned: {reason}");
        await Expect(why).ToContainTextAsync("answer by");
        await Expect(page.Locator("dl.fields")).ToContainTextAsync($"Lea {tag}");
        await tab.ScreenshotAsync("routing-record");

        await page.Locator("dl.fields").GetByRole(AriaRole.Link, new() { Name = $"Benelux {tag}" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Benelux {tag}", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("ul.rules li")).ToHaveTextAsync(["country in BE, NL, LU"]);
        await Expect(Term(page, "Answer within")).ToHaveTextAsync("2 hours");
        var leaRow = MemberRow(page, $"Lea {tag}");
        await Expect(leaRow.Locator("td[data-label=Load]")).ToHaveTextAsync("1 of 20 in the last 30 days");
        await Expect(leaRow.Locator("td[data-label=Availability]")).ToHaveTextAsync("available");
        var maxRow = MemberRow(page, $"Max {tag}");
        await Expect(maxRow.Locator("td[data-label=Load]")).ToHaveTextAsync("0, no limit");
        await Expect(maxRow.Locator("td[data-label=Availability]")).ToContainTextAsync("away until");
        await Expect(maxRow.Locator("td[data-label='Away until']")).Not.ToHaveTextAsync("—");
        await tab.ScreenshotAsync("routing-team");

        await page.GetByRole(AriaRole.Link, new() { Name = "Teams", Exact = true }).ClickAsync();
        var row = page.Locator("table.records tbody tr", new() { HasText = $"Benelux {tag}" });
        await Expect(row.Locator("td[data-label=Takes]")).ToHaveTextAsync("country in BE, NL, LU");
        await Expect(row.Locator("td[data-label='Answer within']")).ToHaveTextAsync("2 hours");
        await Expect(row.Locator("td[data-label=Sequence]")).ToHaveTextAsync("1");
        await tab.ScreenshotAsync("routing-teams");
        (await client.GetJsonAsync($"teams/{team}/members"))["members"]!.AsArray()
            .Single(m => m!["id"]!.GetValue<string>() == lea)!["load"]!.GetValue<int>().Should().Be(1);
        tab.Errors.Should().BeEmpty();
    }

    [Fact]
    public async Task A_manager_changes_the_conditions_and_a_capacity_and_a_refused_value_is_named_in_the_dialog()
    {
        var client = routing.Client;
        var tag = Tag();
        var ana = await PersonAsync(client, new { name = $"Ana {tag}", capacity = 10 });
        var rui = await PersonAsync(client, new { name = $"Rui {tag}" });
        var team = await TeamAsync(client, new
        {
            name = $"Iberia {tag}", memberIds = new[] { ana, rui }, sequence = 5,
            rules = new[]
            {
                new { field = "country", op = "in", values = new[] { "ES", "PT" } },
                new { field = "medium", op = "equals", values = new[] { "email" } },
            },
        });

        await using var tab = await browser.OpenAsync(apiKey: routing.ManagerKey);
        var page = tab.Page;
        await page.GotoAsync($"{routing.ConsoleAddress}#/teams/{team}");
        await Expect(page.Locator("#who")).ToContainTextAsync("· manager");
        await Expect(page.Locator("ul.rules li")).ToHaveTextAsync(["country in ES, PT", "medium is email"]);
        var edit = page.GetByRole(AriaRole.Button, new() { Name = "Edit routing…" });
        await edit.ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByRole(AriaRole.Group, new() { Name = "Condition 1" }).GetByLabel("Values (comma-separated)").FillAsync("ES, PT, AD");
        // Keyboard only: remove the second condition, then add one, which takes the focus.
        await tab.TabToAsync(dialog.GetByRole(AriaRole.Button, new() { Name = "Remove condition 2" }));
        await page.Keyboard.PressAsync("Enter");
        await Expect(dialog.GetByRole(AriaRole.Group, new() { Name = "Condition 2" })).ToHaveCountAsync(0);
        await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Add condition" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        var added = dialog.GetByRole(AriaRole.Group, new() { Name = "Condition 2" });
        await Expect(added.GetByLabel("Field")).ToBeFocusedAsync();
        await added.GetByLabel("Field").SelectOptionAsync("source");
        await added.GetByLabel("Operator").SelectOptionAsync("equals");
        await added.GetByLabel("Values (comma-separated)").FillAsync("fair");
        await dialog.GetByLabel($"Ana {tag}").FillAsync("25");
        var respondWithin = dialog.GetByLabel("Answer within");
        await respondWithin.FillAsync("2 hours");

        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(dialog.GetByRole(AriaRole.Alert)).ToContainTextAsync("Answer within: Give an ISO 8601 duration");
        await Expect(respondWithin).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(respondWithin).ToBeFocusedAsync();
        await tab.ScreenshotAsync("routing-team-refused");
        // Refused as a whole: neither the team nor the capacity changed.
        (await client.GetJsonAsync($"teams/{team}"))["rules"]!.AsArray().Count.Should().Be(2);
        (await client.GetJsonAsync($"salespeople/{ana}"))["capacity"]!.GetValue<int>().Should().Be(10);

        await respondWithin.FillAsync("PT4H");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(page.Locator("ul.rules li")).ToHaveTextAsync(["country in ES, PT, AD", "source is fair"]);
        await Expect(MemberRow(page, $"Ana {tag}").Locator("td[data-label=Load]")).ToHaveTextAsync("0 of 25 in the last 30 days");
        await Expect(Term(page, "Answer within")).ToHaveTextAsync("4 hours");
        await tab.ScreenshotAsync("routing-team-edited");

        var saved = await client.GetJsonAsync($"teams/{team}");
        saved["rules"]!.ToJsonString().Should().Be("""[{"field":"country","op":"in","values":["ES","PT","AD"]},{"field":"source","op":"equals","values":["fair"]}]""");
        saved.Text("respondWithin").Should().Be("PT4H");
        saved["sequence"]!.GetValue<int>().Should().Be(5);
        saved["memberIds"]!.AsArray().Select(m => m!.GetValue<string>()).Should().Equal(ana, rui);
        (await client.GetJsonAsync($"salespeople/{ana}"))["capacity"]!.GetValue<int>().Should().Be(25);
        (await client.GetJsonAsync($"salespeople/{rui}"))["capacity"]!.GetValue<int>().Should().Be(0);
        tab.Errors.Should().BeEmpty();
    }

    [Fact]
    public async Task A_salesperson_reads_their_team_without_changing_it_and_their_first_note_is_the_first_answer()
    {
        var client = routing.Client;
        var tag = Tag();
        var name = $"Sofia {tag}";
        var email = $"sofia.{tag}@sales.test";
        var sofia = await PersonAsync(client, new { name, email, capacity = 5 });
        var team = await TeamAsync(client, new
        {
            name = $"Nordics {tag}", memberIds = new[] { sofia }, respondWithin = "PT8H",
            rules = new[] { new { field = "country", op = "in", values = new[] { "SE", "NO", "DK" } } },
        });
        var id = await client.LeadAsync(new { name = $"Malmö dealer {tag}", email = $"ola@{Api.UniqueDomain()}", country = "SE" });
        (await AssignedAsync(client, id)).Text("userId").Should().Be(sofia);

        await using var tab = await browser.OpenAsync(signedIn: false);
        var page = tab.Page;
        await page.GotoAsync($"{routing.ConsoleAddress}#/teams/{team}");
        await tab.SignInAsync(email, name, "sales");
        await Expect(page.Locator("#who")).ToHaveTextAsync($"Signed in: {name} · sales");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Nordics {tag}", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByText("Read only: a manager or admin changes a team's routing.")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Edit routing…" })).ToHaveCountAsync(0);
        await Expect(MemberRow(page, name).Locator("td[data-label=Load]")).ToHaveTextAsync("1 of 5 in the last 30 days");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Teams", Exact = true })).ToBeVisibleAsync();
        await tab.ScreenshotAsync("routing-team-read-only");

        await page.GotoAsync($"{routing.ConsoleAddress}#/lead/{id}");
        var why = page.Locator("dl.fields dd.why");
        await Expect(why).ToContainTextAsync("answer by");
        await page.Locator("textarea[name=message]").FillAsync("Called back: visiting on Monday.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add note" }).ClickAsync();
        await Expect(why).ToContainTextAsync("first answered");
        await Expect(why).Not.ToContainTextAsync("answer by");
        await tab.ScreenshotAsync("routing-record-answered");
        (await client.LeadByIdAsync(id))["firstResponseAt"].Should().NotBeNull();
        tab.Errors.Should().BeEmpty();
    }

    private static string Tag() => Guid.NewGuid().ToString("N")[..6];

    /// <summary>The value of a term of the page's field list, by the term's text.</summary>
    private static ILocator Term(IPage page, string term) => page.Locator($"dl.fields dt:text-is('{term}') + dd");

    private static ILocator MemberRow(IPage page, string name) =>
        page.Locator("table.members tbody tr", new() { Has = page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true }) });

    private static async Task<string> PersonAsync(HttpClient client, object person) =>
        (await client.SendJsonAsync(HttpMethod.Post, "salespeople", person, HttpStatusCode.Created))["id"]!.GetValue<string>();

    private static async Task<string> TeamAsync(HttpClient client, object team) =>
        (await client.SendJsonAsync(HttpMethod.Post, "teams", team, HttpStatusCode.Created))["id"]!.GetValue<string>();

    /// <summary>The record once the rules assigned it (after its duplicate check, in the background).</summary>
    private static Task<JsonObject> AssignedAsync(HttpClient client, string id) =>
        Api.EventuallyAsync(() => client.LeadByIdAsync(id), r => r["assignment"]?["status"]?.GetValue<string>() == "assigned");
}

/// <summary>
/// An Azurite and a local host for the routing tests alone: routing is on for every record of a
/// storage once one team has rules, so these teams would otherwise route (or mark "manual") the
/// records of every other test sharing the run's storage.
/// </summary>
public sealed class RoutingHost : IAsyncLifetime
{
    private AzuriteProcess? azurite;
    private TestHost? host;

    public HttpClient Client => (host ?? throw new InvalidOperationException("Not started.")).Client;

    public Uri ConsoleAddress => new(Client.BaseAddress!, "console");

    /// <summary>An admin's and a manager's API key, as a user would paste them into the console.</summary>
    public string AdminKey { get; private set; } = "";

    public string ManagerKey { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        azurite = await AzuriteProcess.StartAsync(AzuriteOptions.InMemoryOnFreePorts, TestContext.Current.CancellationToken);
        host = await TestHost.StartAsync(azurite.ConnectionString);
        AdminKey = await DevCredentials.ApiKeyAsync(Client, "admin", "routing console tests");
        ManagerKey = await DevCredentials.ApiKeyAsync(Client, "manager", "routing console tests, manager");
    }

    public async ValueTask DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }
        if (azurite is not null)
        {
            await azurite.DisposeAsync();
        }
    }
}
