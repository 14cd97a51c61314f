namespace LeadFunctions.Domain.Model;

/// <summary>The global settings, as PUT /settings writes them (GET answers them with what is counted beside them).</summary>
public class Settings
{
    public bool LeadsEnabled { get; set; } = true;
    public DuplicateRules DuplicateRules { get; set; } = new();
}

/// <summary>Which similar-record rules are on; each is on by default.</summary>
public sealed class DuplicateRules
{
    public bool Email { get; set; } = true;
    public bool EmailAlias { get; set; } = true;
    public bool Phone { get; set; } = true;
    public bool Domain { get; set; } = true;
    public bool Customer { get; set; } = true;
    public bool Company { get; set; } = true;
    public bool CompanyName { get; set; } = true;
    public bool ContactName { get; set; } = true;

    public bool IsOn(MatchRule rule) => rule switch
    {
        MatchRule.Email => Email,
        MatchRule.EmailAlias => EmailAlias,
        MatchRule.Phone => Phone,
        MatchRule.Domain => Domain,
        MatchRule.Customer => Customer,
        MatchRule.Company => Company,
        MatchRule.CompanyName => CompanyName,
        MatchRule.ContactName => ContactName,
        _ => false,
    };
}
