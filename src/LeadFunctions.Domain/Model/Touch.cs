namespace LeadFunctions.Domain.Model;

/// <summary>
/// One record's attribution as a merge keeps it (SPEC 4.2): the campaign that brought the record,
/// and when (the record's createdAt). It names the record, so the touch still leads somewhere once
/// that record is a tombstone; it holds no personal data.
/// </summary>
public sealed record Touch(string LeadId, string? Source, string? Medium, string? Campaign, DateTimeOffset At)
{
    /// <summary>The record itself as a touch; null when it carries no attribution, since an empty touch tells nothing.</summary>
    public static Touch? Of(Lead lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        return new[] { lead.Source, lead.Medium, lead.Campaign }.All(string.IsNullOrWhiteSpace)
            ? null
            : new Touch(lead.Id, lead.Source, lead.Medium, lead.Campaign, lead.CreatedAt);
    }
}
