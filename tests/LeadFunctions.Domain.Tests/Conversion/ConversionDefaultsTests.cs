using System.Text.Json;
using LeadFunctions.Domain.Conversion;
using LeadFunctions.Domain.Model;
using static LeadFunctions.Domain.Tests.Conversion.ConversionFixtures;

namespace LeadFunctions.Domain.Tests.Conversion;

/// <summary>The conversion dialog's defaults (SPEC 4.3).</summary>
public sealed class ConversionDefaultsTests
{
    private static Lead AmyWong() => Make(1, l =>
    {
        l.ContactName = "Amy Wong";
        l.CompanyName = "Wong Co";
        l.Email = "amy@wong.test";
        l.UserId = User1;
        l.TeamId = TeamId(1);
    });

    [Fact]
    public void A_lead_with_contact_and_company_and_no_match_converts_creating_a_customer_for_its_own_salesperson_and_team()
    {
        var proposal = ConversionDefaults.Propose(AmyWong(), [], null);

        proposal.Action.Should().Be(ConversionAction.Convert);
        proposal.Duplicates.Should().BeEmpty();
        proposal.Customer.Should().Be(new CustomerChoice(CustomerMode.Create));
        proposal.UserId.Should().Be(User1);
        proposal.TeamId.Should().Be(TeamId(1));
    }

    [Fact]
    public void A_suggested_customer_is_linked()
    {
        var customer = new Customer { Id = "CUST1", Kind = CustomerKind.Person, Name = "Amy Wong", Email = "AMY@wong.test" };

        var proposal = ConversionDefaults.Propose(AmyWong(), [], customer);

        proposal.Customer.Should().Be(new CustomerChoice(CustomerMode.Link, "CUST1"));
    }

    [Fact]
    public void A_suggested_customer_is_linked_even_without_contact_or_company()
    {
        var customer = new Customer { Id = "CUST1", Kind = CustomerKind.Person, Name = "Zed" };

        ConversionDefaults.Propose(Make(1, l => l.Email = "zed@zed-co.test"), [], customer).Customer
            .Should().Be(CustomerChoice.Link("CUST1"));
    }

    [Theory]
    [InlineData("Amy Wong", null)]
    [InlineData(null, "Wong Co")]
    public void A_contact_or_a_company_alone_proposes_create(string? contact, string? company)
    {
        var lead = Make(1, l => { l.ContactName = contact; l.CompanyName = company; });

        ConversionDefaults.Propose(lead, [], null).Customer.Mode.Should().Be(CustomerMode.Create);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("  ", "")]
    public void Without_contact_company_or_suggestion_no_customer_is_proposed(string? contact, string? company)
    {
        var lead = Make(1, l => { l.ContactName = contact; l.CompanyName = company; l.Email = "zed.smith@x.test"; });

        ConversionDefaults.Propose(lead, [], null).Customer.Should().Be(new CustomerChoice(CustomerMode.None));
    }

    [Fact]
    public void A_lead_without_salesperson_or_team_proposes_none()
    {
        var proposal = ConversionDefaults.Propose(Make(1), [], null);

        proposal.UserId.Should().BeNull();
        proposal.TeamId.Should().BeNull();
    }

    [Fact]
    public void Similar_records_by_email_alias_or_customer_propose_a_merge_with_them()
    {
        IReadOnlyList<SimilarRecord> similar =
        [
            Similar(2, LeadType.Lead, LeadStatus.Active, MatchRule.Email),
            Similar(3, LeadType.Opportunity, LeadStatus.Active, MatchRule.Customer),
            Similar(4, LeadType.Lead, LeadStatus.Active, MatchRule.Phone, MatchRule.Customer),
            Similar(5, LeadType.Opportunity, LeadStatus.Lost, MatchRule.EmailAlias),
        ];

        var proposal = ConversionDefaults.Propose(AmyWong(), similar, null);

        proposal.Action.Should().Be(ConversionAction.Merge);
        proposal.Duplicates.Select(d => d.Id).Should().Equal(Id(2), Id(3), Id(4), Id(5));
        ConversionDefaults.DefaultMergeWith(similar).Should().Equal(Id(2), Id(3), Id(4), Id(5));
    }

    [Fact]
    public void A_won_deal_or_a_colleague_is_never_proposed_for_a_merge()
    {
        IReadOnlyList<SimilarRecord> similar =
        [
            Similar(2, LeadType.Opportunity, LeadStatus.Won, MatchRule.Email),
            Similar(3, LeadType.Opportunity, LeadStatus.Active, MatchRule.Company),
            Similar(4, LeadType.Lead, LeadStatus.Active, MatchRule.CompanyName, MatchRule.ContactName),
        ];

        var proposal = ConversionDefaults.Propose(AmyWong(), similar, null);

        proposal.Action.Should().Be(ConversionAction.Convert);
        proposal.Duplicates.Should().BeEmpty();
    }

    [Theory]
    [InlineData(MatchRule.Phone)]
    [InlineData(MatchRule.Domain)]
    [InlineData(MatchRule.Company)]
    [InlineData(MatchRule.CompanyName)]
    [InlineData(MatchRule.ContactName)]
    public void Similar_records_by_phone_domain_colleague_or_names_only_are_not_duplicates(MatchRule rule)
    {
        IReadOnlyList<SimilarRecord> similar =
        [
            Similar(2, LeadType.Lead, LeadStatus.Active, rule),
            Similar(3, LeadType.Opportunity, LeadStatus.Active, rule),
        ];

        var proposal = ConversionDefaults.Propose(AmyWong(), similar, null);

        proposal.Action.Should().Be(ConversionAction.Convert);
        proposal.Duplicates.Should().BeEmpty();
        ConversionDefaults.DefaultMergeWith(similar).Should().BeEmpty();
    }

    [Fact]
    public void Phone_and_domain_together_are_still_not_duplicates()
    {
        var similar = Similar(2, LeadType.Opportunity, LeadStatus.Active, MatchRule.Phone, MatchRule.Domain);

        ConversionDefaults.Propose(AmyWong(), [similar], null).Action.Should().Be(ConversionAction.Convert);
    }

    [Theory]
    [InlineData(LeadType.Opportunity, LeadStatus.Active, true)]
    [InlineData(LeadType.Opportunity, LeadStatus.Lost, true)]
    [InlineData(LeadType.Opportunity, LeadStatus.Merged, false)]
    [InlineData(LeadType.Lead, LeadStatus.Active, true)]
    [InlineData(LeadType.Lead, LeadStatus.Lost, false)]
    [InlineData(LeadType.Lead, LeadStatus.Merged, false)]
    public void Which_similar_records_by_email_a_merge_takes(LeadType type, LeadStatus status, bool taken)
    {
        var similar = Similar(2, type, status, MatchRule.Email);

        ConversionDefaults.IsDuplicate(similar).Should().Be(taken);
        var proposal = ConversionDefaults.Propose(AmyWong(), [similar], null);
        proposal.Action.Should().Be(taken ? ConversionAction.Merge : ConversionAction.Convert);
        proposal.Duplicates.Should().HaveCount(taken ? 1 : 0);
    }

    [Fact]
    public void A_lost_opportunity_is_taken_and_a_lost_lead_is_not()
    {
        IReadOnlyList<SimilarRecord> similar =
        [
            Similar(2, LeadType.Lead, LeadStatus.Lost, MatchRule.Email),
            Similar(3, LeadType.Opportunity, LeadStatus.Lost, MatchRule.Email),
        ];

        ConversionDefaults.Propose(AmyWong(), similar, null).Duplicates.Select(d => d.Id).Should().Equal(Id(3));
    }

    [Fact]
    public void The_lead_itself_and_repeated_records_are_taken_once_at_most()
    {
        var self = SimilarRecord.Of(AmyWong(), [MatchRule.Email], ConversionFixtures.Sure);
        var other = Similar(2, LeadType.Lead, LeadStatus.Active, MatchRule.Email);

        ConversionDefaults.Propose(AmyWong(), [self, other, other], null).Duplicates.Select(d => d.Id).Should().Equal(Id(2));
    }

    [Fact]
    public void The_suggested_customer_is_the_first_created_with_the_leads_normalized_email()
    {
        var lead = Make(1, l => l.Email = "zed@zed-co.test");
        Customer[] candidates =
        [
            new() { Id = "C3", Email = "other@zed-co.test", CreatedAt = T0 },
            new() { Id = "C2", Email = "\"Zed\" <Zed@Zed-Co.test>", CreatedAt = T0.AddDays(2) },
            new() { Id = "C1", Email = " Zed@Zed-Co.test ", CreatedAt = T0.AddDays(1) },
        ];

        ConversionDefaults.SuggestCustomer(lead, candidates)!.Id.Should().Be("C1");
        ConversionDefaults.SuggestCustomer(lead, candidates[..1]).Should().BeNull();
        ConversionDefaults.SuggestCustomer(Make(2, l => l.Email = "not an email"), candidates).Should().BeNull();
    }

    [Fact]
    public void The_modes_and_actions_are_lower_case_on_the_wire()
    {
        JsonSerializer.Serialize(ConversionAction.Merge, JsonDefaults.Options).Should().Be("\"merge\"");
        JsonSerializer.Serialize(CustomerMode.Link, JsonDefaults.Options).Should().Be("\"link\"");
        JsonSerializer.Serialize(BulkCustomerMode.Auto, JsonDefaults.Options).Should().Be("\"auto\"");
        JsonSerializer.Deserialize<CustomerMode>("\"none\"", JsonDefaults.Options).Should().Be(CustomerMode.None);
        JsonSerializer.Serialize(new CustomerChoice(CustomerMode.Link, "C1"), JsonDefaults.Options)
            .Should().Be("{\"mode\":\"link\",\"customerId\":\"C1\"}");
    }
}
