using System.Net;

namespace LeadFunctions.Functions.Tests.Features.Erasure;

/// <summary>
/// Records and customers that hold the person's data but are not theirs: a survivor that took
/// their email in a merge, the survivors further down a chain of merges, a company a conversion
/// made from their lead. Each gives back what is theirs and stays; nothing of theirs is left.
/// </summary>
public sealed class ErasureOfSharedRecordsTests() : ErasureHost(null)
{
    [Fact]
    public async Task A_survivor_that_took_their_email_in_a_merge_gives_it_back_and_stays()
    {
        var person = Person.New();
        var olaf = await TestRecords.CreateAsync(Client, new { name = "Olaf's deal", contactName = "Olaf Other", phone = "+47 22 33 44 55", country = "NO" });
        var theirs = await TestRecords.CreateAsync(Client, new { name = person.Name, email = person.Email, description = person.Description });
        await Client.WaitCheckedAsync(olaf);
        await Client.WaitCheckedAsync(theirs);
        await Client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { olaf, theirs }, survivorId = olaf }, HttpStatusCode.Created);
        await Host.QuietAsync(Patience);
        (await Client.GetJsonAsync($"leads/{olaf}"))["email"]!.GetValue<string>().Should().Be(person.Email, "the survivor had no email and took theirs");

        var receipt = await EraseAsync(person);

        receipt["counts"]!["records"]!.GetValue<int>().Should().Be(1, "only their own record");
        receipt["counts"]!["survivorsCleaned"]!.GetValue<int>().Should().Be(1);
        var kept = await Client.GetJsonAsync($"leads/{olaf}");
        kept["email"].Should().BeNull("the email was theirs");
        kept["name"]!.GetValue<string>().Should().Be("Olaf's deal");
        kept["contactName"]!.GetValue<string>().Should().Be("Olaf Other");
        kept["phone"]!.GetValue<string>().Should().Be("+47 22 33 44 55");
        (await TracesAsync(person.Values)).Should().BeEmpty();
    }

    [Fact]
    public async Task Their_values_are_taken_back_all_the_way_down_a_chain_of_merges()
    {
        var person = Person.New();
        var olaf = await TestRecords.CreateAsync(Client, new { name = "Olaf's deal", contactName = "Olaf Other", description = "Olaf's own notes." });
        var greta = await TestRecords.CreateAsync(Client, new { name = "Greta's deal", contactName = "Greta Third", phone = "+47 22 99 88 77", country = "NO" });
        var theirs = await TestRecords.CreateAsync(Client, new { name = person.Name, email = person.Email, description = person.Description });
        foreach (var id in new[] { olaf, greta, theirs })
        {
            await Client.WaitCheckedAsync(id);
        }
        await Client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { olaf, theirs }, survivorId = olaf }, HttpStatusCode.Created);
        await Host.QuietAsync(Patience);
        var second = await Client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { greta, olaf }, survivorId = greta }, HttpStatusCode.Created);
        await Host.QuietAsync(Patience);
        (await Client.GetJsonAsync($"leads/{greta}"))["email"]!.GetValue<string>().Should().Be(person.Email, "their email went down the chain");

        var receipt = await EraseAsync(person);

        receipt["counts"]!["records"]!.GetValue<int>().Should().Be(1, "only their own record: the two survivors are other people's");
        receipt["counts"]!["survivorsCleaned"]!.GetValue<int>().Should().Be(2);
        receipt["counts"]!["merges"]!.GetValue<int>().Should().Be(2, "the second merge's images held their values too");
        var end = await Client.GetJsonAsync($"leads/{greta}");
        end["email"].Should().BeNull();
        end["contactName"]!.GetValue<string>().Should().Be("Greta Third");
        end["description"]!.GetValue<string>().Should().Be("Olaf's own notes.", "Olaf's paragraph came down the chain and stays; theirs went");
        var undo = await Client.SendJsonAsync(HttpMethod.Post, $"merges/{second["mergeId"]!.GetValue<string>()}/undo", new { }, HttpStatusCode.Conflict);
        undo["detail"]!.GetValue<string>().Should().Contain("erased");
        (await TracesAsync(person.Values)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_company_made_from_their_lead_stays_under_its_name_without_their_contact_details()
    {
        var person = Person.New();
        var street = $"{person.Name[^10..]} Private Lane 12";
        var company = $"Quill Consulting {person.Name[^10..]}";
        var lead = await TestRecords.CreateAsync(Client, new { name = "Consulting deal", contactName = person.Name, companyName = company, email = person.Email, phone = person.Phone, street, city = "Oslo" });
        await Client.WaitCheckedAsync(lead);
        var converted = await Client.SendJsonAsync(HttpMethod.Post, $"leads/{lead}/convert", new { action = "convert", customer = new { mode = "create" } }, HttpStatusCode.OK);
        await Host.QuietAsync(Patience);
        var personCustomer = converted["customer"]!["id"]!.GetValue<string>();
        var companyId = (await Client.GetJsonAsync($"customers/{personCustomer}"))["companyId"]!.GetValue<string>();
        (await Client.GetJsonAsync($"customers/{companyId}"))["phone"]!.GetValue<string>().Should().Be(person.Phone, "the conversion copied the lead's phone to the company");

        // By phone alone: the company has their phone too, and must not go for it.
        var receipt = await EraseAsync(new { phone = person.Phone });

        receipt["counts"]!["customers"]!.GetValue<int>().Should().Be(1, "the person customer");
        receipt["counts"]!["customersCleaned"]!.GetValue<int>().Should().Be(1, "the company");
        var kept = await Client.GetJsonAsync($"customers/{companyId}");
        kept["name"]!.GetValue<string>().Should().Be(company);
        kept["phone"].Should().BeNull();
        kept["email"].Should().BeNull();
        kept["street"].Should().BeNull();
        using (var gone = await Client.GetAsync($"customers/{personCustomer}", Ct))
        {
            await gone.ShouldHaveStatusAsync(HttpStatusCode.NotFound);
        }
        (await TracesAsync([.. person.Values, street])).Should().BeEmpty();
    }
}
