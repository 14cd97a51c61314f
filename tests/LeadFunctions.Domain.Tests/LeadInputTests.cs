using System.Text.Json;
using LeadFunctions.Domain.Leads;
using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Tests;

public sealed class LeadInputTests
{
    private static LeadInput Full() => new()
    {
        Type = LeadType.Opportunity,
        Name = "Website redesign",
        ContactName = "Ann Lee",
        Email = "ann.lee@acme-corp.test",
        Phone = "+1 415 555 2671",
        CompanyName = "Acme Corp",
        Website = "acme-corp.test",
        Street = "1 Main St",
        City = "Springfield",
        Zip = "12345",
        State = "CA",
        Country = "US",
        Description = "Wants a quote.\nSoon.",
        Tags = ["web", "quote"],
        Priority = 2,
        ExpectedRevenue = 12_500.50m,
        Probability = 40,
        UserId = "01ARZ3NDEKTSV4RRFFQ69G5FAV",
        TeamId = "01ARZ3NDEKTSV4RRFFQ69G5FAW",
        CustomerId = "01ARZ3NDEKTSV4RRFFQ69G5FAX",
        Source = "web",
        Medium = "cpc",
        Campaign = "spring",
        EmailOptOut = true,
        PhoneOptOut = false,
        DoNotContact = true,
    };

    [Fact]
    public void Applying_an_input_copies_every_field_and_From_reads_them_back()
    {
        var input = Full();
        var lead = new Lead { Id = "01ARZ3NDEKTSV4RRFFQ69G5FAY", Status = LeadStatus.Lost, LostReason = "price" };

        input.ApplyTo(lead);

        LeadInput.From(lead).Should().BeEquivalentTo(input);
        lead.Id.Should().Be("01ARZ3NDEKTSV4RRFFQ69G5FAY");
        lead.Status.Should().Be(LeadStatus.Lost);
        lead.LostReason.Should().Be("price");
    }

    [Fact]
    public void Every_writable_field_of_a_lead_has_an_input_property_and_status_has_none()
    {
        var inputNames = typeof(LeadInput).GetProperties().Select(p => p.Name).ToHashSet();
        string[] notWritable = ["Id", "Status", "LostReason", "CreatedAt", "UpdatedAt", "ConvertedAt", "WonAt", "MergedInto", "DuplicateCheck", "Version",
            "Assignment", "AssignedAt", "FirstResponseAt", "FirstTouch", "LastTouch"];
        typeof(Lead).GetProperties().Select(p => p.Name).Except(notWritable).Should().BeEquivalentTo(inputNames);
    }

    [Fact]
    public void Nulls_clear_text_zero_numbers_and_empty_the_tags_but_keep_the_type()
    {
        var lead = new Lead();
        Full().ApplyTo(lead);

        new LeadInput().ApplyTo(lead);

        lead.Type.Should().Be(LeadType.Opportunity);
        lead.Name.Should().BeNull();
        lead.Email.Should().BeNull();
        lead.Description.Should().BeNull();
        lead.CustomerId.Should().BeNull();
        lead.Campaign.Should().BeNull();
        lead.Tags.Should().BeEmpty();
        lead.Priority.Should().Be(0);
        lead.ExpectedRevenue.Should().Be(0m);
        lead.Probability.Should().Be(0);
        lead.EmailOptOut.Should().BeFalse();
        lead.DoNotContact.Should().BeFalse();
    }

    [Fact]
    public void Blank_text_is_stored_as_no_value()
    {
        var lead = new Lead();
        new LeadInput { Name = "  ", City = "" }.ApplyTo(lead);
        lead.Name.Should().BeNull();
        lead.City.Should().BeNull();
    }

    [Fact]
    public void The_tag_list_is_copied_not_shared()
    {
        var input = new LeadInput { Tags = ["a"] };
        var lead = new Lead();
        input.ApplyTo(lead);
        input.Tags.Add("b");
        lead.Tags.Should().Equal("a");

        var back = LeadInput.From(lead);
        back.Tags!.Add("c");
        lead.Tags.Should().Equal("a");
    }

    [Fact]
    public void The_input_uses_the_camelCase_wire_names()
    {
        var json = JsonSerializer.Serialize(new LeadInput { ContactName = "Ann", Type = LeadType.Lead, ExpectedRevenue = 1m }, JsonDefaults.Options);
        json.Should().Contain("\"contactName\":\"Ann\"").And.Contain("\"type\":\"lead\"").And.Contain("\"expectedRevenue\":1");
        JsonSerializer.Deserialize<LeadInput>("""{"companyName":"Acme","type":"opportunity","tags":["x"]}""", JsonDefaults.Options)
            .Should().BeEquivalentTo(new LeadInput { CompanyName = "Acme", Type = LeadType.Opportunity, Tags = ["x"] });
    }
}
