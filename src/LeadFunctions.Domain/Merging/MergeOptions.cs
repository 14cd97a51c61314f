namespace LeadFunctions.Domain.Merging;

/// <summary>
/// What a merge request may choose (SPEC 4.4): the survivor, the source record of any mergeable
/// field (field name → lead id, see <see cref="MergeRules.MergeableFields"/>), and a salesperson
/// and team that override the merged ones. Null or blank means "not chosen".
/// </summary>
public sealed record MergeOptions(
    string? SurvivorId = null,
    IReadOnlyDictionary<string, string>? FieldSources = null,
    string? UserId = null,
    string? TeamId = null);
