using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Merging;

/// <summary>
/// The first and last touch a merge keeps (SPEC 4.2). source, medium and campaign merge as one value
/// each (the first filled), which loses where the other records came from; the touches keep the
/// earliest and the latest of them, with the record each belongs to.
/// </summary>
public static class Touches
{
    /// <summary>
    /// The earliest and latest touch of <paramref name="records"/>: a record merged before brings the
    /// touches it kept (its own attribution is among what they were chosen from), any other record
    /// itself when it has attribution. Both null when no record has any.
    /// </summary>
    public static (Touch? First, Touch? Last) Of(IEnumerable<Lead> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        return Span(records.SelectMany(Brought));
    }

    /// <summary>
    /// The touches of <paramref name="survivor"/> chosen again without those of the records
    /// <paramref name="leadIds"/> (an erased person's, a merge undone), from what is left of its own
    /// before the merge and of its current ones. A touch the survivor did not keep is not known
    /// here: the result is the best of what is.
    /// </summary>
    public static (Touch? First, Touch? Last) Without(IReadOnlyCollection<string> leadIds, Lead survivor, Lead survivorBefore)
    {
        ArgumentNullException.ThrowIfNull(leadIds);
        ArgumentNullException.ThrowIfNull(survivor);
        ArgumentNullException.ThrowIfNull(survivorBefore);
        return Span(Brought(survivorBefore).Concat(Kept(survivor)).Where(t => !leadIds.Contains(t.LeadId)));
    }

    /// <summary>The touches the record holds: none for a record never merged.</summary>
    public static IEnumerable<Touch> Kept(Lead record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new[] { record.FirstTouch, record.LastTouch }.OfType<Touch>();
    }

    private static IEnumerable<Touch> Brought(Lead record) =>
        Kept(record).Any() ? Kept(record) : Touch.Of(record) is { } own ? [own] : [];

    private static (Touch? First, Touch? Last) Span(IEnumerable<Touch> touches)
    {
        // Ids are ordered by creation, so they break a tie of equal times the way creation did.
        var byTime = touches.OrderBy(t => t.At).ThenBy(t => t.LeadId, StringComparer.Ordinal).ToList();
        return (byTime.FirstOrDefault(), byTime.LastOrDefault());
    }
}
