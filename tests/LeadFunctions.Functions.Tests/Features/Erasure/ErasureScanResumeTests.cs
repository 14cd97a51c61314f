namespace LeadFunctions.Functions.Tests.Features.Erasure;

/// <summary>
/// A round's scan of the record rows saves its place after each page (SPEC 4.5: it finishes on
/// any size of tenant): killed mid-scan, the next try goes on from the saved page instead of the
/// first, and the erasure ends as one never killed. Pages of three rows here, so that a dozen
/// records make a scan of several pages.
/// </summary>
public sealed class ErasureScanResumeTests() : ErasureHost(new Dictionary<string, string?>
{
    [LocalHost.LocalHostApp.HostJsonFileSetting] = ErasureCrashTests.ManyTries(),
    ["Erasure:ScanPageSize"] = "3",
})
{
    private const int Records = 10;

    [Fact]
    public async Task A_round_killed_mid_scan_resumes_from_its_saved_page_and_finishes()
    {
        var person = Person.New();
        var ids = new List<string>();
        for (var i = 0; i < Records; i++)
        {
            ids.Add(await TestRecords.CreateAsync(Client, new { name = $"Enquiry {i}", email = person.Email, phone = person.Phone, description = person.Description }));
        }
        foreach (var id in ids)
        {
            await Client.WaitCheckedAsync(id);
        }
        await Host.QuietAsync(Patience);

        // Every record's row matches the scan (their email): pages of 3, 3, 3 and 1, a place saved after each of the first three.
        var saves = new List<string>();
        Faults.Reset((_, step) =>
        {
            if (!step.StartsWith("erasure scan", StringComparison.Ordinal))
            {
                return false;
            }
            lock (saves)
            {
                saves.Add(step);
                return step == "erasure scan 0" && saves.Count(s => s == step) == 2;
            }
        });

        var receipt = await EraseAsync(person);

        lock (saves)
        {
            saves.Count(s => s == "erasure scan 0").Should().Be(3, "killed after its second page, the round went on from its third page, not from the first");
        }
        receipt["counts"]!["records"]!.GetValue<int>().Should().Be(Records);
        foreach (var id in ids)
        {
            using var gone = await Client.GetAsync($"leads/{id}", Ct);
            await gone.ShouldHaveStatusAsync(System.Net.HttpStatusCode.NotFound);
        }
        (await TracesAsync(person.Values)).Should().BeEmpty();
    }
}
