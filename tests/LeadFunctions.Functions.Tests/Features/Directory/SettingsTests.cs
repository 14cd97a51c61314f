using System.Net;

namespace LeadFunctions.Functions.Tests.Features.Directory;

/// <summary>Settings change what every other test creates, so this collection runs alone.</summary>
[CollectionDefinition(nameof(GlobalSettings), DisableParallelization = true)]
public sealed class GlobalSettings;

/// <summary>SPEC 4.1: the leads setting, globally and per team.</summary>
[Collection(nameof(GlobalSettings))]
public sealed class SettingsTests(SharedHost shared) : IAsyncLifetime
{
    private readonly HttpClient client = shared.Client;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() =>
        await client.SendJsonAsync(HttpMethod.Put, "settings", new { leadsEnabled = true }, HttpStatusCode.OK);

    [Fact]
    public async Task With_leads_off_globally_new_records_are_opportunities_and_every_team_follows()
    {
        var team = await client.SendJsonAsync(HttpMethod.Post, "teams", new { name = "Direct" }, HttpStatusCode.Created);
        team["useLeads"]!.GetValue<bool>().Should().BeTrue();

        var settings = await client.SendJsonAsync(HttpMethod.Put, "settings", new { leadsEnabled = false }, HttpStatusCode.OK);
        settings["leadsEnabled"]!.GetValue<bool>().Should().BeFalse();
        settings["duplicateRules"]!["email"]!.GetValue<bool>().Should().BeTrue("every rule is on by default");

        var captured = await client.CaptureIdAsync(new { email = $"off@{Api.UniqueDomain()}" });
        (await client.GetJsonAsync($"leads/{captured}"))["type"]!.GetValue<string>().Should().Be("opportunity");
        var created = await client.SendJsonAsync(HttpMethod.Post, "leads", new { name = "Off" }, HttpStatusCode.Created);
        created["type"]!.GetValue<string>().Should().Be("opportunity");
        var refused = await client.SendJsonAsync(HttpMethod.Post, "leads", new { name = "Off", type = "lead" }, HttpStatusCode.BadRequest);
        refused["errors"]!.AsObject().Should().ContainKey("type");
        (await client.GetJsonAsync($"teams/{team["id"]}"))["useLeads"]!.GetValue<bool>().Should().BeFalse();

        await client.SendJsonAsync(HttpMethod.Put, "settings", new { leadsEnabled = true }, HttpStatusCode.OK);
        (await client.GetJsonAsync($"teams/{team["id"]}"))["useLeads"]!.GetValue<bool>().Should().BeTrue();
        (await client.SendJsonAsync(HttpMethod.Post, "leads", new { name = "On" }, HttpStatusCode.Created))["type"]!.GetValue<string>().Should().Be("lead");
    }

    [Fact]
    public async Task A_team_with_leads_off_gets_opportunities_while_others_get_leads()
    {
        var team = await client.SendJsonAsync(HttpMethod.Post, "teams", new { name = "No leads" }, HttpStatusCode.Created);
        var teamId = team["id"]!.GetValue<string>();
        await client.SendJsonAsync(HttpMethod.Patch, $"teams/{teamId}", new { useLeads = false }, HttpStatusCode.OK);

        var forTeam = await client.CaptureIdAsync(new { email = $"t@{Api.UniqueDomain()}", teamId });
        var forNobody = await client.CaptureIdAsync(new { email = $"n@{Api.UniqueDomain()}" });

        (await client.GetJsonAsync($"leads/{forTeam}"))["type"]!.GetValue<string>().Should().Be("opportunity");
        (await client.GetJsonAsync($"leads/{forNobody}"))["type"]!.GetValue<string>().Should().Be("lead");
    }

    [Fact]
    public async Task Settings_without_duplicate_rules_are_a_400_and_change_nothing()
    {
        var refused = await client.SendJsonAsync(HttpMethod.Put, "settings", "{\"leadsEnabled\":false,\"duplicateRules\":null}", HttpStatusCode.BadRequest);

        refused["errors"]!.AsObject().Should().ContainKey("duplicateRules");
        (await client.GetJsonAsync("settings"))["leadsEnabled"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public async Task A_rule_switched_off_stops_matching()
    {
        var domain = Api.UniqueDomain();
        await client.SendJsonAsync(HttpMethod.Put, "settings", new { leadsEnabled = true, duplicateRules = new { domain = false } }, HttpStatusCode.OK);
        try
        {
            var first = await client.CaptureIdAsync(new { email = $"ann@{domain}" });
            await client.WaitCheckedAsync(first);
            var second = await client.CaptureIdAsync(new { email = $"bob@{domain}" });

            (await client.WaitCheckedAsync(second))["duplicateCheck"]!["similarCount"]!.GetValue<int>().Should().Be(0);
        }
        finally
        {
            await client.SendJsonAsync(HttpMethod.Put, "settings", new { leadsEnabled = true }, HttpStatusCode.OK);
        }
    }
}
