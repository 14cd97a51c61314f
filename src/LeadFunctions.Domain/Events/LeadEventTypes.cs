using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Events;

/// <summary>
/// The integration events of SPEC 6. Every change of meaning writes a log entry, so the event of a
/// change is read off its entry: one rule for every writer, and the entry's id (fixed before the
/// first try of a write) is the event's id, the same on every retry and redelivery.
/// </summary>
public static class LeadEventTypes
{
    public const string Prefix = "com.leadfunctions.";

    public const string Captured = Prefix + "lead.captured";
    public const string Created = Prefix + "lead.created";
    public const string Updated = Prefix + "lead.updated";
    public const string DuplicateFlagged = Prefix + "lead.duplicate-flagged";
    public const string Converted = Prefix + "lead.converted";
    public const string Merged = Prefix + "leads.merged";
    public const string MergeUndone = Prefix + "merge.undone";
    public const string Won = Prefix + "lead.won";
    public const string Lost = Prefix + "lead.lost";
    public const string Restored = Prefix + "lead.restored";
    public const string Imported = Prefix + "lead.imported";
    public const string Erased = Prefix + "lead.erased";
    public const string Assigned = Prefix + "lead.assigned";

    public static IReadOnlyList<string> All { get; } =
        [Captured, Created, Updated, DuplicateFlagged, Converted, Merged, MergeUndone, Won, Lost, Restored, Imported, Erased, Assigned];

    /// <summary>
    /// The event a log entry announces, or null: a note is history, not a change of the record;
    /// the tombstones' merged-into entries are told by the survivor's leads.merged; an undo is
    /// told once, by the survivor's entry (the one that lists the restored records); a pair found
    /// by one record's check is told by that record's duplicate-flagged (its similarIds), not
    /// again by each neighbour it was written onto, so that a burst costs one event per record.
    /// </summary>
    public static string? Of(LogEntry entry) => entry.Kind switch
    {
        LogKind.Created => entry.Data?["origin"]?.GetValue<string>() == "capture" ? Captured : Created,
        LogKind.Updated => Updated,
        LogKind.DuplicateFlagged => entry.Data?["foundBy"] is null ? DuplicateFlagged : null,
        LogKind.Converted => Converted,
        LogKind.Merged => Merged,
        LogKind.Unmerged => entry.Data?["restoredIds"] is not null ? MergeUndone : null,
        LogKind.Won => Won,
        LogKind.Lost => Lost,
        LogKind.Restored => Restored,
        LogKind.Imported => Imported,
        LogKind.Assigned => Assigned,
        _ => null,
    };
}
