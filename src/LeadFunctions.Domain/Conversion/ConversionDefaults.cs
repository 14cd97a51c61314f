using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Conversion;

/// <summary>The defaults of a conversion (SPEC 4.3), as pure rules over what the caller has read.</summary>
public static class ConversionDefaults
{
    /// <summary>
    /// The conversion dialog's defaults for <paramref name="lead"/>.
    /// <list type="bullet">
    /// <item>Duplicates: see <see cref="IsDuplicate"/>, in the order of <paramref name="similar"/>, each id once.</item>
    /// <item>Action: merge when there are duplicates, else convert.</item>
    /// <item>Customer: link with <paramref name="suggestedCustomer"/> when one is given (the caller
    /// found it by the lead's normalized email, see <see cref="SuggestCustomer"/>); else create when the
    /// lead has a non-blank contactName or companyName; else none.</item>
    /// <item>UserId and TeamId: the lead's.</item>
    /// </list>
    /// </summary>
    /// <param name="mergeResult">
    /// The record a merge on convert would leave (a dry run), when there is one: the customer
    /// choice is made for it, since it is the record that gets converted.
    /// </param>
    public static ConversionProposal Propose(Lead lead, IReadOnlyList<SimilarRecord> similar, Customer? suggestedCustomer, Lead? mergeResult = null)
    {
        ArgumentNullException.ThrowIfNull(lead);
        ArgumentNullException.ThrowIfNull(similar);
        var duplicates = Duplicates(lead.Id, similar);
        var basis = mergeResult ?? lead;
        // A record already linked to a customer keeps it unless the email names another.
        var customer = suggestedCustomer is not null ? CustomerChoice.Link(suggestedCustomer.Id)
            : Filled(basis.CustomerId) ? CustomerChoice.Link(basis.CustomerId!)
            : Filled(basis.ContactName) || Filled(basis.CompanyName) ? CustomerChoice.Create
            : CustomerChoice.None;
        return new ConversionProposal(
            duplicates.Count > 0 ? ConversionAction.Merge : ConversionAction.Convert,
            duplicates,
            customer,
            lead.UserId,
            lead.TeamId);
    }

    /// <summary>The ids of the records a merge on convert takes when the request names none (the default mergeWith).</summary>
    public static IReadOnlyList<string> DefaultMergeWith(IReadOnlyList<SimilarRecord> similar)
    {
        ArgumentNullException.ThrowIfNull(similar);
        return [.. Duplicates(null, similar).Select(s => s.Id)];
    }

    /// <summary>
    /// A similar record that a merge on convert takes (SPEC 4.3): similar by
    /// <see cref="MatchRule.Email"/>, <see cref="MatchRule.EmailAlias"/> or
    /// <see cref="MatchRule.Customer"/> (the same customer; never a colleague by
    /// <see cref="MatchRule.Company"/>, nor phone, domain or names alone), and an active lead or an
    /// active or lost opportunity. A won deal is never proposed.
    /// </summary>
    public static bool IsDuplicate(SimilarRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var samePerson = record.MatchedOn.Any(rule => rule is MatchRule.Email or MatchRule.EmailAlias or MatchRule.Customer);
        var mergeable = record.Type switch
        {
            LeadType.Opportunity => record.Status is LeadStatus.Active or LeadStatus.Lost,
            LeadType.Lead => record.Status == LeadStatus.Active,
            _ => false,
        };
        return samePerson && mergeable;
    }

    /// <summary>
    /// The customer to suggest for <paramref name="lead"/>: among <paramref name="candidates"/>, those
    /// whose normalized email equals the lead's normalized email, the first created (ties by id);
    /// null when the lead has no valid email or no candidate matches.
    /// </summary>
    public static Customer? SuggestCustomer(Lead lead, IEnumerable<Customer> candidates)
    {
        ArgumentNullException.ThrowIfNull(lead);
        ArgumentNullException.ThrowIfNull(candidates);
        var email = EmailAddress.Normalize(lead.Email);
        if (email is null)
        {
            return null;
        }
        return candidates
            .Where(c => c is not null && string.Equals(EmailAddress.Normalize(c.Email), email, StringComparison.Ordinal))
            .OrderBy(c => c.CreatedAt)
            .ThenBy(c => c.Id, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    private static List<SimilarRecord> Duplicates(string? selfId, IReadOnlyList<SimilarRecord> similar) =>
        [.. similar
            .Where(s => s is not null && IsDuplicate(s) && !string.Equals(s.Id, selfId, StringComparison.Ordinal))
            .DistinctBy(s => s.Id, StringComparer.Ordinal)];

    internal static bool Filled(string? value) => !string.IsNullOrWhiteSpace(value);
}
