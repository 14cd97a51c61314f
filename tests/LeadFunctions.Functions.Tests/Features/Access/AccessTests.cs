using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace LeadFunctions.Functions.Tests.Features.Access;

/// <summary>SPEC 10: who a credential is, what it is refused with, and API keys from making to revoking.</summary>
public sealed class AccessTests(SharedHost shared)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Anonymous() => new() { BaseAddress = shared.Client.BaseAddress };

    private async Task<(string Id, string Email)> SalespersonAsync(object? extra = null)
    {
        var email = $"p-{Guid.NewGuid():N}@sales.test";
        var body = new Dictionary<string, object?> { ["name"] = "Lea Martin", ["email"] = email };
        foreach (var property in extra?.GetType().GetProperties() ?? [])
        {
            body[property.Name] = property.GetValue(extra);
        }
        var person = await shared.Client.SendJsonAsync(HttpMethod.Post, "salespeople", body, HttpStatusCode.Created);
        return (person["id"]!.GetValue<string>(), email);
    }

    private async Task<HttpClient> SignedInAsync(string email, string[]? roles)
    {
        var client = Anonymous();
        DevCredentials.SignIn(client, await DevCredentials.TokenAsync(client.BaseAddress!, email, roles));
        return client;
    }

    [Fact]
    public async Task A_person_acts_as_their_salesperson_with_the_role_the_token_gives()
    {
        var (id, email) = await SalespersonAsync();
        using var lea = await SignedInAsync(email, ["manager"]);

        var me = await lea.GetJsonAsync("me");

        me["actor"]!["kind"]!.GetValue<string>().Should().Be("person");
        me["actor"]!["id"]!.GetValue<string>().Should().Be(id);
        me["actor"]!["name"]!.GetValue<string>().Should().Be("Lea Martin");
        me["role"]!.GetValue<string>().Should().Be("manager");
        me["email"]!.GetValue<string>().Should().Be(email);
    }

    [Fact]
    public async Task Without_roles_in_the_token_the_directory_role_counts_and_without_either_the_person_is_refused()
    {
        var (_, withRole) = await SalespersonAsync(new { role = "manager" });
        var (_, without) = await SalespersonAsync();
        using var manager = await SignedInAsync(withRole, null);
        using var nobody = await SignedInAsync(without, null);

        (await manager.GetJsonAsync("me"))["role"]!.GetValue<string>().Should().Be("manager");
        using var refused = await nobody.GetAsync("me", Ct);
        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await refused.JsonAsync())["detail"]!.GetValue<string>().Should().Contain("no role yet");
    }

    [Fact]
    public async Task A_person_the_directory_does_not_know_is_not_let_in_yet()
    {
        using var stranger = await SignedInAsync($"stranger-{Guid.NewGuid():N}@elsewhere.test", ["admin"]);

        using var response = await stranger.GetAsync("leads", Ct);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await response.JsonAsync())["detail"]!.GetValue<string>().Should().Contain("not let in yet");
    }

    [Fact]
    public async Task A_deactivated_salesperson_is_cut_off_at_the_next_request()
    {
        var (id, email) = await SalespersonAsync();
        using var lea = await SignedInAsync(email, ["sales"]);
        using (var before = await lea.GetAsync("leads", Ct))
        {
            before.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        await shared.Client.SendJsonAsync(HttpMethod.Patch, $"salespeople/{id}", new { active = false }, HttpStatusCode.OK);

        using var after = await lea.GetAsync("leads", Ct);
        after.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await after.JsonAsync())["detail"]!.GetValue<string>().Should().Contain("deactivated");
    }

    [Fact]
    public async Task A_salesperson_undoes_their_own_merges_and_a_manager_anyone_s()
    {
        var (_, leaEmail) = await SalespersonAsync();
        var (_, bobEmail) = await SalespersonAsync();
        var (_, maxEmail) = await SalespersonAsync();
        using var lea = await SignedInAsync(leaEmail, ["sales"]);
        using var bob = await SignedInAsync(bobEmail, ["sales"]);
        using var max = await SignedInAsync(maxEmail, ["manager"]);
        async Task<string> MergeAsync(HttpClient who)
        {
            var a = await TestRecords.CreateAsync(who, new { name = "Undo A" });
            var b = await TestRecords.CreateAsync(who, new { name = "Undo B" });
            var merge = await who.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { a, b } }, HttpStatusCode.Created);
            return merge["mergeId"]!.GetValue<string>();
        }
        var leas = await MergeAsync(lea);
        var leasOther = await MergeAsync(lea);

        using var byBob = await bob.PostAsync($"merges/{leas}/undo", null, Ct);
        byBob.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await byBob.JsonAsync())["detail"]!.GetValue<string>().Should().Contain("manager");
        await lea.SendJsonAsync(HttpMethod.Post, $"merges/{leas}/undo", new { }, HttpStatusCode.OK);
        var undone = await max.SendJsonAsync(HttpMethod.Post, $"merges/{leasOther}/undo", new { }, HttpStatusCode.OK);
        undone["undoneBy"]!["kind"]!.GetValue<string>().Should().Be("person");
    }

    [Fact]
    public async Task An_Entra_application_acts_with_its_app_role_and_without_one_is_refused()
    {
        using var shop = Anonymous();
        DevCredentials.SignIn(shop, await DevCredentials.ApplicationTokenAsync(shop.BaseAddress!, "shop-sync", ["sales"]));
        using var bare = Anonymous();
        DevCredentials.SignIn(bare, await DevCredentials.ApplicationTokenAsync(bare.BaseAddress!, "no-roles-app", null));

        var me = await shop.GetJsonAsync("me");
        using var refused = await bare.GetAsync("me", Ct);
        using var tooLow = await shop.GetAsync("apikeys", Ct);

        me["actor"]!["kind"]!.GetValue<string>().Should().Be("apikey");
        me["actor"]!["id"]!.GetValue<string>().Should().Be("app:shop-sync");
        me["role"]!.GetValue<string>().Should().Be("sales");
        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await refused.JsonAsync())["detail"]!.GetValue<string>().Should().Contain("no LeadFunctions app role");
        tooLow.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Only_an_admin_hands_out_roles_links_accounts_or_deactivates_and_an_email_names_one_salesperson()
    {
        var (managerId, managerEmail) = await SalespersonAsync();
        var (otherId, otherEmail) = await SalespersonAsync();
        using var manager = await SignedInAsync(managerEmail, ["manager"]);

        foreach (var patch in new object[] { new { role = "admin" }, new { active = false }, new { objectId = Guid.NewGuid().ToString() }, new { email = $"me-{Guid.NewGuid():N}@sales.test" } })
        {
            using var refused = await manager.PatchAsync($"salespeople/{otherId}", TestRecords.Json(patch), Ct);
            refused.StatusCode.Should().Be(HttpStatusCode.Forbidden, System.Text.Json.JsonSerializer.Serialize(patch));
        }
        using var grant = await manager.PostAsync("salespeople", TestRecords.Json(new { name = "New admin", email = $"n-{Guid.NewGuid():N}@sales.test", role = "admin" }), Ct);
        grant.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        await manager.SendJsonAsync(HttpMethod.Patch, $"salespeople/{otherId}", new { name = "Renamed by a manager" }, HttpStatusCode.OK);
        await shared.Client.SendJsonAsync(HttpMethod.Patch, $"salespeople/{otherId}", new { role = "sales" }, HttpStatusCode.OK);

        using var twice = await shared.Client.PostAsync("salespeople", TestRecords.Json(new { name = "Same email", email = otherEmail.ToUpperInvariant() }), Ct);
        twice.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await shared.Client.GetJsonAsync($"salespeople/{managerId}"))["objectId"]!.GetValue<string>().Should().NotBeNullOrEmpty("the first sign-in pins the record to the account");
    }

    [Fact]
    public async Task The_first_admin_comes_from_Auth_Admins_without_a_salesperson_record()
    {
        var me = await shared.Client.GetJsonAsync("me");

        me["role"]!.GetValue<string>().Should().Be("admin");
        me["actor"]!["kind"]!.GetValue<string>().Should().Be("person");
        Guid.TryParse(me["actor"]!["id"]!.GetValue<string>(), out _).Should().BeTrue("without a salesperson record, the Entra object id names the admin");
        me["email"]!.GetValue<string>().Should().Be(DevCredentials.AdminEmail);
    }

    [Fact]
    public async Task An_API_key_is_shown_once_listed_without_its_secret_used_either_way_and_revoked_at_once()
    {
        using var created = await shared.Client.PostAsJsonAsync("apikeys", new { name = "Shop sync", role = "sales" }, Ct);
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var key = await created.JsonAsync();
        var id = key["id"]!.GetValue<string>();
        var secret = key["key"]!.GetValue<string>();
        secret.Should().StartWith($"lf_{id}_");
        created.Headers.Location!.ToString().Should().EndWith($"/api/apikeys/{id}");
        key["createdBy"]!["kind"]!.GetValue<string>().Should().Be("person");

        using var header = Anonymous();
        header.DefaultRequestHeaders.Add("x-api-key", secret);
        using var bearer = Anonymous();
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        var me = await header.GetJsonAsync("me");
        me["actor"]!["kind"]!.GetValue<string>().Should().Be("apikey");
        me["actor"]!["name"]!.GetValue<string>().Should().Be("Shop sync");
        me["role"]!.GetValue<string>().Should().Be("sales");
        (await bearer.GetJsonAsync("me"))["actor"]!["id"]!.GetValue<string>().Should().Be(id);

        var listed = await Api.EventuallyAsync(() => shared.Client.GetJsonAsync("apikeys?pageSize=200"),
            list => list["items"]!.AsArray().Any(k => k!["id"]!.GetValue<string>() == id && k["lastUsedAt"] is not null));
        var entry = listed["items"]!.AsArray().Single(k => k!["id"]!.GetValue<string>() == id)!.AsObject();
        entry["name"]!.GetValue<string>().Should().Be("Shop sync");
        entry["role"]!.GetValue<string>().Should().Be("sales");
        listed.ToJsonString().Should().NotContain(secret).And.NotContain("hash", "only a keyed hash is stored, and never shown");

        using var revoke = await shared.Client.DeleteAsync($"apikeys/{id}", Ct);
        revoke.StatusCode.Should().Be(HttpStatusCode.NoContent);
        using var after = await header.GetAsync("me", Ct);
        after.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        using var again = await shared.Client.DeleteAsync($"apikeys/{id}", Ct);
        again.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("{\"role\": \"sales\"}", "name")]
    [InlineData("{\"name\": \"x\", \"role\": \"owner\"}", "role")]
    [InlineData("{\"name\": \"x\"}", "role")]
    public async Task A_bad_API_key_request_names_the_field(string body, string field)
    {
        using var response = await shared.Client.PostAsync("apikeys", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.JsonAsync())["errors"]![field].Should().NotBeNull();
    }

    [Fact]
    public async Task Refusals_say_why_and_how_to_authenticate()
    {
        using var anonymous = Anonymous();
        using var none = await anonymous.GetAsync("leads", Ct);
        using var functionKey = new HttpRequestMessage(HttpMethod.Get, "leads");
        functionKey.Headers.Add("x-functions-key", "local-dev-key");
        using var withFunctionKey = await anonymous.SendAsync(functionKey, Ct);
        using var expired = new HttpRequestMessage(HttpMethod.Get, "leads");
        expired.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await DevCredentials.TokenAsync(anonymous.BaseAddress!, DevCredentials.AdminEmail, ["admin"], expiresIn: -3600));
        using var withExpired = await anonymous.SendAsync(expired, Ct);

        none.Headers.WwwAuthenticate.ToString().Should().Be("Bearer");
        (await withFunctionKey.JsonAsync())["detail"]!.GetValue<string>().Should().Contain("function key no longer");
        withExpired.Headers.WwwAuthenticate.ToString().Should().Contain("invalid_token");
        (await withExpired.JsonAsync())["detail"]!.GetValue<string>().Should().Contain("expired");
    }

    [Fact]
    public async Task Public_routes_need_no_credential()
    {
        using var anonymous = Anonymous();

        foreach (var path in new[] { "health", "openapi.json", "console", "capture.js" })
        {
            using var response = await anonymous.GetAsync(path, Ct);
            response.StatusCode.Should().Be(HttpStatusCode.OK, path);
        }
    }
}
