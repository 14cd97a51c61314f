namespace LeadFunctions.Infrastructure.Merges;

/// <summary>
/// The value a held record carries in its MergeLock column: the merge's id for a merge, and
/// "{mergeId}:{attempt}" for an undo attempt, so that releasing one attempt's holds can never
/// release another's.
/// </summary>
public static class MergeHolds
{
    public static string ForUndo(string mergeId, string attempt) => $"{mergeId}:{attempt}";

    public static string MergeIdOf(string hold) => hold.Split(':')[0];
}
