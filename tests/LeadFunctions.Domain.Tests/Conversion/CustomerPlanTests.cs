using LeadFunctions.Domain.Conversion;
using LeadFunctions.Domain.Model;
using static LeadFunctions.Domain.Tests.Conversion.ConversionFixtures;

namespace LeadFunctions.Domain.Tests.Conversion;

/// <summary>The customers that customer mode create makes (SPEC 4.3).</summary>
public sealed class CustomerPlanTests
{
    private static Lead Full(Action<Lead>? with = null) => Make(1, l =>
    {
        l.Name = "Website inquiry";
        l.ContactName = "Amy Wong";
        l.CompanyName = "Wong Co";
        l.Email = "amy.wong@wong.test";
        l.Phone = "+1 202 555 0100";
        l.Website = "https://wong.test";
        l.Street = "1 Main St";
        l.City = "Springfield";
        l.Zip = "12345";
        l.State = "IL";
        l.Country = "US";
        with?.Invoke(l);
    });

    private static IReadOnlyList<Customer> Plan(Lead lead) => CustomerPlan.ForLead(lead, Sequence(), Now);

    [Fact]
    public void Contact_and_company_give_a_company_and_a_person_under_it_and_the_person_is_linked()
    {
        var created = Plan(Full());

        created.Should().HaveCount(2);
        var (company, person) = (created[0], created[1]);
        company.Should().BeEquivalentTo(new Customer
        {
            Id = "C1", Kind = CustomerKind.Company, Name = "Wong Co", CompanyId = null, Email = null,
            Phone = "+1 202 555 0100", Website = "https://wong.test",
            Street = "1 Main St", City = "Springfield", Zip = "12345", State = "IL", Country = "US", CreatedAt = Now,
        });
        person.Should().BeEquivalentTo(new Customer
        {
            Id = "C2", Kind = CustomerKind.Person, Name = "Amy Wong", CompanyId = "C1", Email = "amy.wong@wong.test",
            Phone = "+1 202 555 0100", Website = "https://wong.test",
            Street = "1 Main St", City = "Springfield", Zip = "12345", State = "IL", Country = "US", CreatedAt = Now,
        });
        CustomerPlan.LinkTarget(created).Should().Be("C2");
    }

    [Fact]
    public void A_lead_with_only_an_email_gives_a_person_named_from_it()
    {
        var created = Plan(Make(1, l => { l.Name = null; l.Email = "zed.smith@x.test"; }));

        created.Should().ContainSingle();
        created[0].Kind.Should().Be(CustomerKind.Person);
        created[0].Name.Should().Be("Zed Smith");
        created[0].Email.Should().Be("zed.smith@x.test");
        created[0].CompanyId.Should().BeNull();
        CustomerPlan.LinkTarget(created).Should().Be(created[0].Id);
    }

    [Fact]
    public void The_email_name_wins_over_the_leads_name()
    {
        Plan(Make(1, l => { l.Name = "Pricing question"; l.Email = "zed.smith@x.test"; }))
            .Should().ContainSingle().Which.Name.Should().Be("Zed Smith");
    }

    [Theory]
    [InlineData("amy.wong+x@wong.test", "Amy Wong")]
    [InlineData("Amy_Wong@wong.test", "Amy Wong")]
    [InlineData("jean-luc.picard@ent.test", "Jean Luc Picard")]
    [InlineData("\"Amy\" <amy.wong@wong.test>", "Amy Wong")]
    [InlineData("zed@x.test", "Zed")]
    [InlineData("r2d2@x.test", "R2d2")]
    [InlineData("+tag@x.test", null)]
    [InlineData("._@x.test", null)]
    [InlineData("not an email", null)]
    [InlineData(null, null)]
    public void The_name_part_of_an_email(string? email, string? name)
    {
        CustomerPlan.NameFromEmail(email).Should().Be(name);
    }

    [Fact]
    public void A_company_with_an_email_and_no_contact_gives_a_person_from_the_email_under_it()
    {
        var created = Plan(Full(l => l.ContactName = null));

        created.Select(c => (c.Kind, c.Name)).Should().Equal((CustomerKind.Company, "Wong Co"), (CustomerKind.Person, "Amy Wong"));
        created[1].CompanyId.Should().Be(created[0].Id);
        created[0].Email.Should().BeNull("the email is the person's");
    }

    [Fact]
    public void A_company_alone_gets_the_email_too_and_is_linked()
    {
        var created = Plan(Full(l => { l.ContactName = null; l.Email = null; }));

        created.Should().ContainSingle();
        created[0].Kind.Should().Be(CustomerKind.Company);
        created[0].Name.Should().Be("Wong Co");
        created[0].Phone.Should().Be("+1 202 555 0100");
        created[0].City.Should().Be("Springfield");
        CustomerPlan.LinkTarget(created).Should().Be(created[0].Id);
    }

    [Fact]
    public void A_company_with_an_unusable_email_keeps_it_and_makes_no_person()
    {
        var created = Plan(Full(l => { l.ContactName = null; l.Email = "+@wong"; }));

        created.Should().ContainSingle().Which.Email.Should().Be("+@wong");
    }

    [Fact]
    public void The_leads_name_names_the_person_only_when_there_is_no_company()
    {
        Plan(Make(1, l => l.Name = "Bob Jones")).Should().ContainSingle()
            .Which.Should().Match<Customer>(c => c.Kind == CustomerKind.Person && c.Name == "Bob Jones");
        Plan(Make(1, l => { l.Name = "Bob Jones"; l.CompanyName = "Jones Ltd"; })).Should().ContainSingle()
            .Which.Kind.Should().Be(CustomerKind.Company);
    }

    [Fact]
    public void A_contact_alone_gives_a_person_without_company()
    {
        var created = Plan(Full(l => l.CompanyName = " "));

        created.Should().ContainSingle();
        created[0].Should().Match<Customer>(c => c.Kind == CustomerKind.Person && c.Name == "Amy Wong" && c.CompanyId == null && c.Email == "amy.wong@wong.test");
    }

    [Fact]
    public void Names_are_trimmed()
    {
        var created = Plan(Full(l => { l.ContactName = "  Amy Wong "; l.CompanyName = " Wong Co\t"; }));

        created.Select(c => c.Name).Should().Equal("Wong Co", "Amy Wong");
    }

    [Fact]
    public void A_lead_with_nothing_to_name_a_customer_gives_none_and_nothing_to_link()
    {
        var created = Plan(Make(1, l => l.Name = null));

        created.Should().BeEmpty();
        FluentActions.Invoking(() => CustomerPlan.LinkTarget(created)).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void The_lead_is_not_changed()
    {
        var lead = Full();
        var before = System.Text.Json.JsonSerializer.Serialize(lead, JsonDefaults.Options);

        Plan(lead);

        System.Text.Json.JsonSerializer.Serialize(lead, JsonDefaults.Options).Should().Be(before);
    }
}
