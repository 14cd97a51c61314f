namespace LeadFunctions.Domain.Model;

/// <summary>
/// Where a merge stands. Committed and Undoing are points of no return: from there the merge (or
/// its undo) only goes forward. Pending and UndoPending are rolled back when found dead.
/// </summary>
public enum MergeState { Pending, Committed, Applied, Aborted, UndoPending, Undoing, Undone }

/// <summary>A merge as GET /merges/{mergeId} shows it: what was merged into what, and its state.</summary>
public sealed class MergeRecord
{
    public string Id { get; set; } = "";
    public MergeState State { get; set; }
    public string SurvivorId { get; set; } = "";
    public List<string> MergedIds { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? AppliedAt { get; set; }
    public DateTimeOffset? UndoStartedAt { get; set; }
    public DateTimeOffset? UndoneAt { get; set; }
    /// <summary>The undo was forced over changes made to the survivor since the merge.</summary>
    public bool? Forced { get; set; }
    /// <summary>
    /// The id of each record's history entry for this merge (merged, merged-into), fixed before
    /// anything is written so that a retry writes the same entries and a later merge other ones.
    /// </summary>
    public Dictionary<string, string> EntryIds { get; set; } = [];
    /// <summary>The current undo attempt, and the ids of its unmerged entries.</summary>
    public string? UndoAttempt { get; set; }
    public Dictionary<string, string>? UndoEntryIds { get; set; }
    /// <summary>An undo attempt found dead and rolled back: its holds are leftovers to release.</summary>
    public string? DeadUndoAttempt { get; set; }
    /// <summary>When an erasure (SPEC 4.5) removed the merge's images of a person: it can no longer be undone.</summary>
    public DateTimeOffset? ErasedAt { get; set; }
}
