namespace LeadFunctions.Domain.Model;

/// <summary>Where a merge stands. Committed is the point of no return: from there it only goes forward.</summary>
public enum MergeState { Pending, Committed, Applied, Aborted, Undoing, Undone }

/// <summary>A merge as GET /merges/{mergeId} shows it: what was merged into what, and its state.</summary>
public sealed class MergeRecord
{
    public string Id { get; set; } = "";
    public MergeState State { get; set; }
    public string SurvivorId { get; set; } = "";
    public List<string> MergedIds { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? AppliedAt { get; set; }
    public DateTimeOffset? UndoneAt { get; set; }
    /// <summary>The undo was forced over changes made to the survivor since the merge.</summary>
    public bool? Forced { get; set; }
    /// <summary>The id of the undo's log entries, fixed when the undo starts so that a retry writes the same ones.</summary>
    public string? UndoId { get; set; }
}
