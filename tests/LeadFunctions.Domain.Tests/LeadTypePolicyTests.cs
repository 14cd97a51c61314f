using LeadFunctions.Domain.Leads;
using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Tests;

public sealed class LeadTypePolicyTests
{
    public static TheoryData<bool, bool?, LeadType?, LeadType, bool> Cases => new()
    {
        // leadsEnabled, team.UseLeads (null: no team), requested, decided, error on "type"
        { true, null, null, LeadType.Lead, false },
        { true, true, null, LeadType.Lead, false },
        { true, false, null, LeadType.Opportunity, false },
        { false, null, null, LeadType.Opportunity, false },
        { false, true, null, LeadType.Opportunity, false },
        { false, false, null, LeadType.Opportunity, false },
        { true, null, LeadType.Lead, LeadType.Lead, false },
        { true, true, LeadType.Lead, LeadType.Lead, false },
        { true, false, LeadType.Lead, LeadType.Opportunity, true },
        { false, null, LeadType.Lead, LeadType.Opportunity, true },
        { false, true, LeadType.Lead, LeadType.Opportunity, true },
        { false, false, LeadType.Lead, LeadType.Opportunity, true },
        { true, null, LeadType.Opportunity, LeadType.Opportunity, false },
        { true, true, LeadType.Opportunity, LeadType.Opportunity, false },
        { true, false, LeadType.Opportunity, LeadType.Opportunity, false },
        { false, null, LeadType.Opportunity, LeadType.Opportunity, false },
        { false, true, LeadType.Opportunity, LeadType.Opportunity, false },
        { false, false, LeadType.Opportunity, LeadType.Opportunity, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_type_follows_the_global_and_team_leads_settings(bool leadsEnabled, bool? teamUseLeads, LeadType? requested, LeadType decided, bool typeError)
    {
        var settings = new Settings { LeadsEnabled = leadsEnabled };
        var team = teamUseLeads is { } useLeads ? new Team { Id = "01ARZ3NDEKTSV4RRFFQ69G5FAV", UseLeads = useLeads } : null;
        var errors = new ValidationErrors();

        LeadTypePolicy.Decide(settings, team, requested, errors).Should().Be(decided);

        errors.Contains("type").Should().Be(typeError);
        errors.Fields.Should().HaveCount(typeError ? 1 : 0);
    }
}
