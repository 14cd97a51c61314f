namespace LeadFunctions.Functions.Tests;

/// <summary>
/// A domain crowded by many records, on a host of its own: the burst of re-checks it causes stays
/// in its own queue instead of delaying every other test's checks.
/// </summary>
public sealed class CrowdedDomainTests() : IsolatedHostTests(queues: true)
{
    [Fact]
    public async Task A_domain_shared_by_21_records_stops_counting()
    {
        var domain = Api.UniqueDomain();
        var ids = new List<string>();
        for (var i = 0; i < 21; i++)
        {
            ids.Add(await Client.CaptureIdAsync(new { email = $"p{i}@{domain}" }));
        }
        foreach (var id in ids)
        {
            await Client.WaitCheckedAsync(id);
        }

        // Checks run concurrently, so some records were first checked before the domain was
        // crowded; the record that crowded it queues a re-check of the others. In the end none
        // counts the domain any more, in its similar list or its duplicateCheck.
        var deadline = DateTime.UtcNow.AddSeconds(30);
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
