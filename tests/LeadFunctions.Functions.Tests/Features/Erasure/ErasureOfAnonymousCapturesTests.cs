namespace LeadFunctions.Functions.Tests.Features.Erasure;

/// <summary>
/// An anonymous capture's index rows are of their own form ("~" and the id), and a key whose
/// pairs wait for a relink is marked in the key's own partition: an erasure takes both, since the
/// partition's name is made of the person's email.
/// </summary>
public sealed class ErasureOfAnonymousCapturesTests() : ErasureHost(new Dictionary<string, string?>
{
    // Long enough that the relink still waits when the erasure starts, short enough for the erasure's wait for quiet.
    ["Ingest:RelinkAfter"] = "00:01:00",
})
{
    [Fact]
    public async Task An_erasure_takes_the_anonymous_index_rows_and_the_relink_marker_of_the_persons_keys()
    {
        var person = Person.New();
        var ids = new List<string>();
        for (var i = 0; i < 22; i++)
        {
            ids.Add(await Client.CaptureIdAsync(new { email = person.Email, contactName = person.Name, message = $"Form {i}" }));
        }
        foreach (var id in ids)
        {
            await Client.WaitCheckedAsync(id, Patience);
        }
        var before = await TracesAsync([person.Email]);
        before.Should().Contain(t => t.StartsWith("leadindex/", StringComparison.Ordinal) && t.Contains("/~", StringComparison.Ordinal),
            "captures are indexed in the anonymous form");
        before.Should().Contain(t => t.StartsWith("leadindex/", StringComparison.Ordinal) && t.Contains("!relink", StringComparison.Ordinal),
            "past 20 similar records, the pairs left wait for the key's relink");

        var receipt = await EraseAsync(person);

        receipt["counts"]!["records"]!.GetValue<int>().Should().Be(ids.Count);
        (await TracesAsync(person.Values)).Should().BeEmpty();
    }
}
