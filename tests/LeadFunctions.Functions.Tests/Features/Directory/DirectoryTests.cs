using System.Net;

namespace LeadFunctions.Functions.Tests.Features.Directory;

/// <summary>Teams, salespeople and customers (SPEC 3, 5).</summary>
public sealed class DirectoryTests(SharedHost shared)
{
    private readonly HttpClient client = shared.Client;

    [Fact]
    public async Task Teams_refer_to_existing_salespeople_and_patch_merges()
    {
        var leader = await client.SendJsonAsync(HttpMethod.Post, "salespeople", new { name = "Lea", email = $"lea@{Api.UniqueDomain()}" }, HttpStatusCode.Created);
        var member = await client.SendJsonAsync(HttpMethod.Post, "salespeople", new { name = "Max" }, HttpStatusCode.Created);
        var team = await client.SendJsonAsync(HttpMethod.Post, "teams",
            new { name = "East", leaderId = leader["id"], memberIds = new[] { member["id"] } }, HttpStatusCode.Created);

        var renamed = await client.SendJsonAsync(HttpMethod.Patch, $"teams/{team["id"]}", new { name = "East coast" }, HttpStatusCode.OK);
        renamed["leaderId"]!.GetValue<string>().Should().Be(leader["id"]!.GetValue<string>());
        renamed["memberIds"]!.AsArray().Should().HaveCount(1);
        await client.SendJsonAsync(HttpMethod.Post, "teams", new { name = "Ghosts", memberIds = new[] { "01ARZ3NDEKTSV4RRFFQ69G5FAV" } }, HttpStatusCode.BadRequest);
        await client.SendJsonAsync(HttpMethod.Post, "teams", new { name = "" }, HttpStatusCode.BadRequest);
        (await client.GetJsonAsync("teams?pageSize=200")).Ids().Should().Contain(team["id"]!.GetValue<string>());
        (await client.GetJsonAsync($"salespeople/{member["id"]}"))["name"]!.GetValue<string>().Should().Be("Max");
    }

    [Theory]
    [InlineData("teams", "{\"name\":\"x\",\"memberIds\":null}")]
    [InlineData("teams", "{\"name\":null}")]
    [InlineData("salespeople", "{\"name\":\"x\",\"email\":\"not-an-email\"}")]
    [InlineData("customers", "{\"name\":\"x\",\"phone\":\"abc\"}")]
    [InlineData("customers", "{\"name\":\"x\",\"id\":7}")]
    public async Task Nulls_and_bad_values_in_directory_records_are_a_400(string route, string body)
    {
        using var response = await client.PostAsync(route, new StringContent(body, System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        await response.ShouldHaveStatusAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_null_member_is_a_400_on_memberIds_and_is_never_stored()
    {
        var member = await client.SendJsonAsync(HttpMethod.Post, "salespeople", new { name = "Noa" }, HttpStatusCode.Created);
        var team = await client.SendJsonAsync(HttpMethod.Post, "teams", new { name = "West", memberIds = new[] { member["id"] } }, HttpStatusCode.Created);

        var created = await client.SendJsonAsync(HttpMethod.Post, "teams", $"{{\"name\":\"Nulls\",\"memberIds\":[\"{member["id"]}\",null]}}", HttpStatusCode.BadRequest);
        var patched = await client.SendJsonAsync(HttpMethod.Patch, $"teams/{team["id"]}", "{\"memberIds\":[null]}", HttpStatusCode.BadRequest);

        created["errors"]!.AsObject().Select(e => e.Key).Should().Equal("memberIds");
        patched["errors"]!.AsObject().Select(e => e.Key).Should().Equal("memberIds");
        (await client.GetJsonAsync($"teams/{team["id"]}"))["memberIds"]!.AsArray().Select(m => m!.GetValue<string>()).Should().Equal(member["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Customers_are_found_by_normalized_email_and_a_person_belongs_to_a_company()
    {
        var domain = Api.UniqueDomain();
        var company = await client.SendJsonAsync(HttpMethod.Post, "customers", new { kind = "company", name = "Zed Co", email = $"Info@{domain}" }, HttpStatusCode.Created);
        var person = await client.SendJsonAsync(HttpMethod.Post, "customers",
            new { kind = "person", name = "Zed", email = $"Zed@{domain}", companyId = company["id"] }, HttpStatusCode.Created);

        var found = await client.GetJsonAsync($"customers?email={Uri.EscapeDataString($"zed@{domain.ToUpperInvariant()}")}");

        found.Ids().Should().Equal(person["id"]!.GetValue<string>());
        (await client.GetJsonAsync($"customers/{person["id"]}"))["companyId"]!.GetValue<string>().Should().Be(company["id"]!.GetValue<string>());
        await client.SendJsonAsync(HttpMethod.Post, "customers", new { kind = "person", name = "Orphan", companyId = person["id"] }, HttpStatusCode.BadRequest);
        await client.SendJsonAsync(HttpMethod.Post, "customers", new { kind = "robot", name = "R2" }, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Leads_linked_to_a_company_and_to_one_of_its_people_are_colleagues_not_one_customer()
    {
        var company = await client.SendJsonAsync(HttpMethod.Post, "customers", new { kind = "company", name = "Wong Co" }, HttpStatusCode.Created);
        var amy = await client.SendJsonAsync(HttpMethod.Post, "customers", new { kind = "person", name = "Amy", companyId = company["id"] }, HttpStatusCode.Created);
        var first = await client.SendJsonAsync(HttpMethod.Post, "leads", new { name = "via company", customerId = company["id"] }, HttpStatusCode.Created);
        await client.WaitCheckedAsync(first["id"]!.GetValue<string>());
        var second = await client.SendJsonAsync(HttpMethod.Post, "leads", new { name = "via Amy", customerId = amy["id"] }, HttpStatusCode.Created);

        await client.WaitCheckedAsync(second["id"]!.GetValue<string>());

        (await client.SimilarAsync(second["id"]!.GetValue<string>())).MatchedOn(first["id"]!.GetValue<string>()).Should().Equal("company");
    }
}
