using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Leads;

/// <summary>Whether a new record is a lead or an opportunity (SPEC 4.1).</summary>
public static class LeadTypePolicy
{
    /// <summary>
    /// Leads are on when the global setting is on and the record's team (if any) has not switched
    /// them off; with the global setting off a team's own switch does not bring them back, as
    /// every new record is then an opportunity. Asking for a lead where leads are off adds an
    /// error on "type" and answers opportunity; asking for an opportunity is always allowed.
    /// </summary>
    public static LeadType Decide(Settings settings, Team? team, LeadType? requested, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(errors);
        var leadsOn = settings.LeadsEnabled && team?.UseLeads != false;
        switch (requested)
        {
            case LeadType.Opportunity:
                return LeadType.Opportunity;
            case LeadType.Lead when !leadsOn:
                errors.Add("type", settings.LeadsEnabled
                    ? "leads are switched off for this team; use opportunity"
                    : "leads are switched off; use opportunity");
                return LeadType.Opportunity;
            default:
                return leadsOn ? LeadType.Lead : LeadType.Opportunity;
        }
    }
}
