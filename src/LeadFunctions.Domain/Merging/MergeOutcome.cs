using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Merging;

/// <summary>
/// The planned result of a merge, before anything is written; also what a dry run answers.
/// </summary>
/// <param name="Result">A new record: the survivor's id, createdAt, duplicateCheck and version with the merged fields.</param>
/// <param name="SurvivorId">The record that keeps its id.</param>
/// <param name="MergedIds">The records that become tombstones, in merge order (by creation).</param>
/// <param name="Sources">
/// Every mergeable field (<see cref="MergeRules.MergeableFields"/>) → the id of the record its value
/// came from. Where no single record supplied the value (joined descriptions, a tag union drawn from
/// several records, a field empty everywhere, a cleared lostReason, a salesperson or team given by the
/// request) it names the survivor, the record the value is written to.
/// </param>
public sealed record MergeOutcome(
    Lead Result,
    string SurvivorId,
    IReadOnlyList<string> MergedIds,
    IReadOnlyDictionary<string, string> Sources);
