using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Leads;

/// <summary>
/// The writable fields of a record, as POST /leads takes them and as PATCH merges into them.
/// Status is absent on purpose: it changes only through lose and restore.
/// </summary>
public sealed class LeadInput : LeadText
{
    /// <summary>Null lets <see cref="LeadTypePolicy"/> decide on creation and keeps the type on update.</summary>
    public LeadType? Type { get; set; }
    public List<string>? Tags { get; set; }
    public int? Priority { get; set; }
    public decimal? ExpectedRevenue { get; set; }
    public int? Probability { get; set; }
    public bool? EmailOptOut { get; set; }
    public bool? PhoneOptOut { get; set; }
    public bool? DoNotContact { get; set; }

    public static LeadInput From(Lead lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var input = new LeadInput
        {
            Type = lead.Type,
            Tags = [.. lead.Tags],
            Priority = lead.Priority,
            ExpectedRevenue = lead.ExpectedRevenue,
            Probability = lead.Probability,
            EmailOptOut = lead.EmailOptOut,
            PhoneOptOut = lead.PhoneOptOut,
            DoNotContact = lead.DoNotContact,
        };
        lead.CopyTextTo(input, text => text);
        return input;
    }

    /// <summary>
    /// Copies every field onto the record: a null or blank text clears it, null numbers become 0,
    /// null consent flags false and null tags an empty list. The type is copied only when given, since a record always has one.
    /// </summary>
    public void ApplyTo(Lead lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        if (Type is { } type)
        {
            lead.Type = type;
        }
        this.CopyTextTo(lead, Text);
        lead.Tags = Tags is null ? [] : [.. Tags];
        lead.Priority = Priority ?? 0;
        lead.ExpectedRevenue = ExpectedRevenue ?? 0m;
        lead.Probability = Probability ?? 0;
        lead.EmailOptOut = EmailOptOut ?? false;
        lead.PhoneOptOut = PhoneOptOut ?? false;
        lead.DoNotContact = DoNotContact ?? false;
    }

    // A blank field is an empty one; storing "  " would only make lists and matching lie.
    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
