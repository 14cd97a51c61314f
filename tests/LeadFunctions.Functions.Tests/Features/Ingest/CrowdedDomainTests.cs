namespace LeadFunctions.Functions.Tests.Features.Ingest;

/// <summary>
/// A domain (or a company or contact name) crowded by many records, on a host of its own: the burst of re-checks it causes stays
/// in its own queue instead of delaying every other test's checks.
/// </summary>
public sealed class CrowdedDomainTests() : IsolatedHostTests(queues: true)
{
    [Theory]
    [InlineData("domain")]
    [InlineData("contactName")]
    [InlineData("companyName")]
    public async Task A_domain_or_name_shared_by_21_records_stops_counting(string shared)
    {
        var domain = Api.UniqueDomain();
        var name = $"Common Name {Guid.NewGuid():N}"[..24];
        var ids = new List<string>();
        for (var i = 0; i < 21; i++)
        {
            // Free-mail addresses of different people, so that only the shared value could match;
            // made by the team, since anonymous captures do not crowd a key.
            object record = shared switch
            {
                "domain" => new { email = $"p{i}@{domain}" },
                "contactName" => new { email = $"p{i}.{domain}@gmail.com", contactName = name },
                _ => new { email = $"p{i}.{domain}@gmail.com", companyName = name },
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
