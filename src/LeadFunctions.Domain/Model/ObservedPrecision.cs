namespace LeadFunctions.Domain.Model;

/// <summary>
/// What the team's decisions say of one similar-record rule: the pairs it flagged that were merged,
/// and those dismissed as "not a duplicate".
/// </summary>
public sealed record RuleDecisions(long Merged, long Dismissed)
{
    public static readonly RuleDecisions None = new(0, 0);

    /// <summary>
    /// merged / (merged + dismissed): the share of the rule's decided pairs that were duplicates;
    /// null before any decision, since no decision is not a precision of 0.
    /// </summary>
    public double? Precision => Merged + Dismissed > 0 ? (double)Merged / (Merged + Dismissed) : null;
}

/// <summary>
/// GET /settings' observedPrecision: each rule's <see cref="RuleDecisions"/>, under the names
/// duplicateRules gives the rules, so that a settings page shows each switch beside how well its
/// rule has done. Counted from decisions, never set.
/// </summary>
public sealed class ObservedPrecision
{
    public RuleDecisions Email { get; init; } = RuleDecisions.None;
    public RuleDecisions EmailAlias { get; init; } = RuleDecisions.None;
    public RuleDecisions Phone { get; init; } = RuleDecisions.None;
    public RuleDecisions Domain { get; init; } = RuleDecisions.None;
    public RuleDecisions Customer { get; init; } = RuleDecisions.None;
    public RuleDecisions Company { get; init; } = RuleDecisions.None;
    public RuleDecisions CompanyName { get; init; } = RuleDecisions.None;
    public RuleDecisions ContactName { get; init; } = RuleDecisions.None;

    public static ObservedPrecision From(Func<MatchRule, RuleDecisions> of) => new()
    {
        Email = of(MatchRule.Email),
        EmailAlias = of(MatchRule.EmailAlias),
        Phone = of(MatchRule.Phone),
        Domain = of(MatchRule.Domain),
        Customer = of(MatchRule.Customer),
        Company = of(MatchRule.Company),
        CompanyName = of(MatchRule.CompanyName),
        ContactName = of(MatchRule.ContactName),
    };
}
