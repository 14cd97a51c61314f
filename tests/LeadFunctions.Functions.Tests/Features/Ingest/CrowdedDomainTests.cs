namespace LeadFunctions.Functions.Tests.Features.Ingest;

/// <summary>
/// A domain (or a company or contact name) crowded by many records, on a host of its own: the burst of re-checks it causes stays
/// in its own queue instead of delaying every other test's checks.
/// </summary>
public sealed class CrowdedDomainTests() : IsolatedHostTests(queues: true, settings: new Dictionary<string, string?> { ["Ingest:RelinkAfter"] = "00:00:02" })
{
    [Fact]
    public async Task A_domain_back_under_21_records_counts_again_for_the_records_that_stay()
    {
        var domain = Api.UniqueDomain();
        // One person's addresses at one company: a domain and a name are both needed for a pair,
        // and both crowd at 21 records.
        var name = $"Pat Q{Guid.NewGuid():N}";
        var ids = new List<string>();
        for (var i = 0; i < 21; i++)
        {
            ids.Add(await TestRecords.CreateAsync(Client, new { email = $"p{i}@{domain}", contactName = name }));
        }
        foreach (var id in ids)
        {
            await Client.WaitCheckedAsync(id);
        }
        await Host.QuietAsync(Api.Patience);
        (await Client.GetJsonAsync($"leads/{ids[0]}"))["duplicateCheck"]!["similarCount"]!.GetValue<int>().Should().Be(0, "21 records crowd the domain");

        // One moves to another company: 20 stay, and the domain is theirs again (the name, still
        // held by 21, stays crowded: the pairs come back on the domain, scored with the name).
        await Client.SendJsonAsync(HttpMethod.Patch, $"leads/{ids[^1]}", new { email = $"moved@{Api.UniqueDomain()}" }, System.Net.HttpStatusCode.OK);
        await Host.QuietAsync(Api.Patience);

        foreach (var id in ids.Take(20))
        {
            var similar = await Api.EventuallyAsync(() => Client.SimilarAsync(id), s => s["count"]!.GetValue<int>() == 19);
            similar.Ids().Should().NotContain(ids[^1]);
            (await Client.GetJsonAsync($"leads/{id}"))["duplicateCheck"]!["similarCount"]!.GetValue<int>().Should().Be(19);
        }
    }

    [Theory]
    [InlineData("domain")]
    [InlineData("contactName")]
    public async Task A_domain_or_name_shared_by_21_records_stops_counting(string shared)
    {
        var domain = Api.UniqueDomain();
        var name = $"Common Name {Guid.NewGuid():N}"[..24];
        var ids = new List<string>();
        for (var i = 0; i < 21; i++)
        {
            // Two shared values, each too little alone and enough together (a domain or a company
            // name with a contact name), on free-mail addresses otherwise; made by the team, since
            // anonymous captures do not crowd a key. Both crowd at 21: no pair is left.
            object record = shared switch
            {
                "domain" => new { email = $"p{i}@{domain}", contactName = name },
                _ => new { email = $"p{i}.{domain}@gmail.com", contactName = name, companyName = name + " Holdings" },
            };
            ids.Add(await TestRecords.CreateAsync(Client, record));
        }
        foreach (var id in ids)
        {
            await Client.WaitCheckedAsync(id);
        }

        // Checks run concurrently, so some records were first checked before the domain was
        // crowded; the record that crowded it queues a re-check of the others. In the end none
        // counts the domain any more, in its similar list or its duplicateCheck.
        var deadline = DateTime.UtcNow + Api.Patience;
        List<string> stillMatching;
        do
        {
            stillMatching = [];
            foreach (var id in ids)
            {
                var lead = await Client.GetJsonAsync($"leads/{id}");
                if ((await Client.SimilarAsync(id))["count"]!.GetValue<int>() > 0 || lead["duplicateCheck"]!["similarCount"]!.GetValue<int>() > 0)
                {
                    stillMatching.Add(id);
                }
            }
            if (stillMatching.Count > 0)
            {
                await Task.Delay(250, TestContext.Current.CancellationToken);
            }
        }
        while (stillMatching.Count > 0 && DateTime.UtcNow < deadline);
        stillMatching.Should().BeEmpty();
    }
}
