using LeadFunctions.Domain.Access;

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

    /// <summary>
    /// Who merged (SPEC 10), fixed when the merge was asked for: whoever finishes it after a crash
    /// writes its history in this actor's name. Null on merges made before actors were recorded.
    /// </summary>
    public Actor? Actor { get; set; }
    public DateTimeOffset? AppliedAt { get; set; }
    public DateTimeOffset? UndoStartedAt { get; set; }
    public DateTimeOffset? UndoneAt { get; set; }

    /// <summary>Who undid it (or is undoing it): set when the undo starts, cleared if that attempt is rolled back.</summary>
    public Actor? UndoneBy { get; set; }
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

    /// <summary>
    /// True when <paramref name="actor"/> made this merge: the same kind and id (a name can change).
    /// What "sales may undo their own merges" (SPEC 10) compares; a merge of unknown or anonymous
    /// authorship (no id) is nobody's own.
    /// </summary>
    public bool IsMergedBy(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return Actor is { Id: { Length: > 0 } id } mergedBy && mergedBy.Kind == actor.Kind && id == actor.Id;
    }
}
