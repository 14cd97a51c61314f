using System.Net;
using System.Text.Json.Nodes;

namespace LeadFunctions.Functions.Tests.Features.Directory;

/// <summary>
/// Issue 29: the "not a duplicate", merge and undo decisions counted per rule and shown in
/// GET /settings as observedPrecision. A host and an Azurite of its own per test, since the counts
/// are the tenant's: other tests' merges would move them.
/// </summary>
public sealed class ObservedPrecisionTests() : IsolatedHostTests(queues: true)
{
    private static readonly string[] Rules = ["email", "emailAlias", "phone", "domain", "customer", "company", "companyName", "contactName"];

    /// <summary>What the test expects per rule, as observedPrecision names it.</summary>
    private readonly Dictionary<string, (long Merged, long Dismissed)> expected = Rules.ToDictionary(r => r, _ => (0L, 0L));

    private int phones;

    [Fact]
    public async Task A_dismissed_pair_counts_a_dismissal_for_each_rule_it_was_flagged_on_once()
    {
        var (a, b, matchedOn) = await FlaggedPairAsync();
        matchedOn.Should().Contain(["email", "phone"], "the pair shares an email and a phone");
        await ShouldShowAsync();

        await Client.SendJsonAsync(HttpMethod.Post, $"leads/{a}/similar/{b}/dismiss", null, HttpStatusCode.NoContent);
        Count(matchedOn, dismissed: 1);

        var settings = await ShouldShowAsync();
        settings["observedPrecision"]!["email"]!.ToJsonString().Should().Be("""{"merged":0,"dismissed":1,"precision":0}""");
        settings["observedPrecision"]!["customer"]!["precision"].Should().BeNull("no pair was flagged on it");

        await Client.SendJsonAsync(HttpMethod.Post, $"leads/{b}/similar/{a}/dismiss", null, HttpStatusCode.NoContent);
        await Client.SendJsonAsync(HttpMethod.Post, $"leads/{a}/similar/{b}/dismiss", null, HttpStatusCode.NoContent);
        await ShouldShowAsync();
    }

    [Fact]
    public async Task A_merge_counts_its_flagged_pairs_as_merged_and_its_undo_takes_them_back()
    {
        var (a, b, merged) = await FlaggedPairAsync();
        var (c, d, dismissed) = await FlaggedPairAsync();
        await Client.SendJsonAsync(HttpMethod.Post, $"leads/{c}/similar/{d}/dismiss", null, HttpStatusCode.NoContent);
        Count(dismissed, dismissed: 1);
        var strangers = new[] { await TestRecords.CreateAsync(Client, new { name = "Stranger 1" }), await TestRecords.CreateAsync(Client, new { name = "Stranger 2" }) };

        var merge = await Client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { a, b } }, HttpStatusCode.Created);
        await Client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = strangers }, HttpStatusCode.Created);
        Count(merged, merged: 1);

        var settings = await ShouldShowAsync();
        settings["observedPrecision"]!["email"]!["precision"]!.GetValue<double>().Should().Be(0.5, "one email pair merged, one dismissed");

        await Client.SendJsonAsync(HttpMethod.Post, $"merges/{merge["mergeId"]}/undo", null, HttpStatusCode.OK);
        Count(merged, merged: -1);
        settings = await ShouldShowAsync();
        settings["observedPrecision"]!["email"]!["precision"]!.GetValue<double>().Should().Be(0);
    }

    [Theory]
    [InlineData("commit", "commit undo")]
    [InlineData("count merge", "count undo")]
    public async Task A_merge_and_an_undo_killed_before_or_after_counting_count_once_when_finished(string mergeStep, string undoStep)
    {
        var (a, b, matchedOn) = await FlaggedPairAsync();

        Faults.Reset((_, step) => step == mergeStep);
        await Client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { a, b } }, HttpStatusCode.InternalServerError);
        Faults.Reset();
        using (var retry = await Client.PostAsync("merges", TestRecords.Json(new { leadIds = new[] { a, b } }), TestContext.Current.CancellationToken))
        {
            retry.StatusCode.Should().BeOneOf(HttpStatusCode.Created, HttpStatusCode.Conflict);
        }
        (await Client.GetJsonAsync($"leads/{b}"))["mergedInto"]!.GetValue<string>().Should().Be(a, "the retry finished the merge");
        var mergeId = await MergeIdOfAsync(a);
        Count(matchedOn, merged: 1);
        await ShouldShowAsync();

        Faults.Reset((_, step) => step == undoStep);
        await Client.SendJsonAsync(HttpMethod.Post, $"merges/{mergeId}/undo", null, HttpStatusCode.InternalServerError);
        Faults.Reset();
        using (var retry = await Client.PostAsync($"merges/{mergeId}/undo", TestRecords.Json(new { }), TestContext.Current.CancellationToken))
        {
            retry.StatusCode.Should().BeOneOf(HttpStatusCode.OK, HttpStatusCode.Conflict);
        }
        (await Client.GetJsonAsync($"merges/{mergeId}"))["state"]!.GetValue<string>().Should().Be("undone");
        Count(matchedOn, merged: -1);
        await ShouldShowAsync();
    }

    [Fact]
    public async Task Observed_precision_is_read_only()
    {
        var shown = await Client.GetJsonAsync("settings");
        shown["leadsEnabled"] = false;

        var refused = await Client.SendJsonAsync(HttpMethod.Put, "settings", shown.ToJsonString(), HttpStatusCode.BadRequest);

        refused["errors"]!.AsObject().Should().ContainKey("observedPrecision");
        (await Client.GetJsonAsync("settings"))["leadsEnabled"]!.GetValue<bool>().Should().BeTrue("a refused body changes nothing");
        var saved = await Client.SendJsonAsync(HttpMethod.Put, "settings", new { leadsEnabled = true }, HttpStatusCode.OK);
        saved.Should().NotContainKey("observedPrecision", "PUT answers what it stored");
    }

    /// <summary>Two records with one email, phone and contact name (a pair that scores high enough for every rule), once both are checked.</summary>
    private async Task<(string First, string Second, string[] MatchedOn)> FlaggedPairAsync()
    {
        var domain = Api.UniqueDomain();
        var phone = $"+1 415 555 01{Interlocked.Increment(ref phones):D2}";
        var first = await TestRecords.CreateAsync(Client, new { name = "First", contactName = "Annabel Leeward", email = $"annabel@{domain}", phone });
        await Client.WaitCheckedAsync(first);
        var second = await TestRecords.CreateAsync(Client, new { name = "Second", contactName = "Annabel Leeward", email = $"annabel@{domain}", phone });
        await Client.WaitCheckedAsync(second);
        var matchedOn = (await Client.SimilarAsync(second)).MatchedOn(first).Select(CamelCase).ToArray();
        matchedOn.Should().NotBeEmpty();
        return (first, second, matchedOn);
    }

    private async Task<string> MergeIdOfAsync(string survivor) =>
        (await Client.GetJsonAsync($"leads/{survivor}/log?pageSize=200"))["items"]!.AsArray()
            .Single(e => e!["kind"]!.GetValue<string>() == "merged")!["data"]!["mergeId"]!.GetValue<string>();

    private void Count(IEnumerable<string> rules, int merged = 0, int dismissed = 0)
    {
        foreach (var rule in rules)
        {
            var (m, d) = expected[rule];
            expected[rule] = (m + merged, d + dismissed);
        }
    }

    /// <summary>GET /settings shows exactly the expected counts, and precision as merged / (merged + dismissed).</summary>
    private async Task<JsonObject> ShouldShowAsync()
    {
        var settings = await Client.GetJsonAsync("settings");
        var observed = settings["observedPrecision"]!.AsObject();
        observed.Select(p => p.Key).Should().BeEquivalentTo(Rules);
        foreach (var (rule, (merged, dismissed)) in expected)
        {
            observed[rule]!["merged"]!.GetValue<long>().Should().Be(merged, rule);
            observed[rule]!["dismissed"]!.GetValue<long>().Should().Be(dismissed, rule);
            var precision = observed[rule]!["precision"]?.GetValue<double>();
            precision.Should().Be(merged + dismissed == 0 ? null : (double)merged / (merged + dismissed), rule);
        }
        return settings;
    }

    /// <summary>matchedOn's name of a rule ("email-alias") as observedPrecision (and duplicateRules) name it ("emailAlias").</summary>
    private static string CamelCase(string rule) =>
        string.Concat(rule.Split('-').Select((part, i) => i == 0 ? part : char.ToUpperInvariant(part[0]) + part[1..]));
}
