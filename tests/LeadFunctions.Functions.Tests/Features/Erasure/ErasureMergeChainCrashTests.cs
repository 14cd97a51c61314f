using System.Net;

namespace LeadFunctions.Functions.Tests.Features.Erasure;

/// <summary>
/// The case seen once (issue 26): two of the person's records merged, one after the other, into
/// another person's record, the first merge giving it their phone; the erasure killed along the
/// way. Killed after each of its writes in turn, each kill once, it must end with the other
/// record holding its own values and none of theirs: the second merge's image of the survivor
/// holds the phone the first gave it, so measuring against that image alone would keep it.
/// </summary>
public sealed class ErasureMergeChainCrashTests() : ErasureHost(new Dictionary<string, string?> { [LocalHost.LocalHostApp.HostJsonFileSetting] = ErasureCrashTests.ManyTries() })
{
    private const string OlafPhone = "+47 22 33 44 55";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Killed_after_each_write_the_erasure_takes_back_what_both_merges_gave_the_other_record(bool byPhoneToo)
    {
        var person = Person.New();
        var olafEmail = $"olaf@{Api.UniqueDomain()}";
        var olaf = await TestRecords.CreateAsync(Client, new { name = "Olaf's renewal", contactName = "Olaf Other", email = olafEmail, phone = OlafPhone, country = "NO", description = "Olaf's own notes." });
        var first = await TestRecords.CreateAsync(Client, new { name = person.Name, contactName = person.Name, email = person.Email, phone = person.Phone, description = person.Description });
        var second = await TestRecords.CreateAsync(Client, new { name = "Website enquiry", email = person.Email, description = person.SecondDescription });
        foreach (var id in new[] { olaf, first, second })
        {
            await Client.WaitCheckedAsync(id);
        }
        await Client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { olaf, first }, survivorId = olaf, fieldSources = new Dictionary<string, string> { ["phone"] = first } }, HttpStatusCode.Created);
        await Host.QuietAsync(Patience);
        await Client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { olaf, second }, survivorId = olaf }, HttpStatusCode.Created);
        await Host.QuietAsync(Patience);
        var merged = await Client.GetJsonAsync($"leads/{olaf}");
        merged["phone"]!.GetValue<string>().Should().Be(person.Phone, "the first merge gave it their phone");
        merged["description"]!.GetValue<string>().Should().Contain(person.Description).And.Contain(person.SecondDescription);

        var killed = KillAfterEachErasureWriteOnce();

        // By phone too, the other record is found by the index (it holds their phone) and must be told from theirs.
        var receipt = await (byPhoneToo ? EraseAsync(new { email = person.Email, phone = person.Phone }) : EraseAsync(person));

        killed.Should().Contain(["erasure plan 0", "erasure step 0.0", "erasure done"]);
        receipt["counts"]!["records"]!.GetValue<int>().Should().Be(2);
        var kept = await Client.GetJsonAsync($"leads/{olaf}");
        kept["status"]!.GetValue<string>().Should().Be("active");
        kept["name"]!.GetValue<string>().Should().Be("Olaf's renewal");
        kept["contactName"]!.GetValue<string>().Should().Be("Olaf Other");
        kept["email"]!.GetValue<string>().Should().Be(olafEmail);
        kept["phone"]!.GetValue<string>().Should().Be(OlafPhone, "the phone the first merge gave it was theirs");
        kept["description"]!.GetValue<string>().Should().Be("Olaf's own notes.");
        (await TracesAsync(person.Values)).Should().BeEmpty();
    }
}
