using LeadFunctions.Domain.Errors;
using LeadFunctions.Domain.Leads;
using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Merging;

/// <summary>
/// The merge of leads and opportunities (SPEC 4.4) as pure rules: what the merged record looks like
/// and which records become tombstones. Writing it (journal, ETags, logs, undo) is the caller's.
/// </summary>
public static class MergeRules
{
    // Odoo stops at 5 "to prevent data loss"; a merge here loses nothing and can be undone.
    public const int MinRecords = 2;
    public const int MaxRecords = 10;

    private const string LeadIdsField = "leadIds";
    private const string SurvivorIdField = "survivorId";
    private const string FieldSourcesField = "fieldSources";

    /// <summary>The camelCase names a request may pick in fieldSources, "address" standing for street, city, zip, state and country.</summary>
    public static IReadOnlyList<string> MergeableFields => FieldMerge.Names;

    /// <summary>
    /// Checks the requested ids before any record is read, so a bad request costs no storage reads
    /// and a malformed id answers 400 rather than 404. Errors are on "leadIds".
    /// </summary>
    public static ValidationErrors ValidateIds(IReadOnlyList<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var errors = new ValidationErrors();
        CheckCount(errors, ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            if (!Ids.IsWellFormed(ids[i]))
            {
                // The index, not the text: a malformed id can be anything, of any length.
                errors.Add(LeadIdsField, $"the id at index {i} is not a well-formed id");
            }
        }
        CheckRepeats(errors, ids.Where(Ids.IsWellFormed));
        return errors;
    }

    /// <summary>
    /// Plans the merge of <paramref name="records"/> (the stored records named by the request, in
    /// request order). Request errors (400) are all reported together before a merged record (409)
    /// is, since they do not depend on the records' state. The inputs are not changed.
    /// </summary>
    /// <exception cref="ValidationException">Wrong count or repeated ids ("leadIds"), an unknown survivorId, a bad fieldSources entry, a malformed userId or teamId.</exception>
    /// <exception cref="ConflictException">A record is already merged; MergedInto names where it went.</exception>
    /// <param name="teamsByCreation">
    /// The teams in creation order, for a salesperson given without a team: the team then follows
    /// the rule of SPEC 4.3 (<see cref="Conversion.Assignment"/>). Not needed otherwise.
    /// </param>
    public static MergeOutcome Plan(IReadOnlyList<Lead> records, MergeOptions options, DateTimeOffset now, IReadOnlyList<Team>? teamsByCreation = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(options);
        if (records.Any(r => r is null))
        {
            throw new ArgumentException("The records must not contain null.", nameof(records));
        }

        var errors = new ValidationErrors();
        CheckCount(errors, records.Count);
        CheckRepeats(errors, records.Select(r => r.Id));
        var byId = records.DistinctBy(r => r.Id, StringComparer.Ordinal).ToDictionary(r => r.Id, StringComparer.Ordinal);
        var named = NamedSurvivor(errors, options.SurvivorId, byId);
        var picked = PickedSources(errors, options.FieldSources, byId);
        CheckOverride(errors, FieldMerge.UserId, options.UserId);
        CheckOverride(errors, FieldMerge.TeamId, options.TeamId);
        if (!errors.IsEmpty)
        {
            throw new ValidationException(errors);
        }

        if (records.FirstOrDefault(r => r.Status == LeadStatus.Merged) is { } merged)
        {
            throw new ConflictException(
                $"The record '{merged.Id}' is already merged into '{merged.MergedInto}'; merge that record instead.",
                merged.MergedInto);
        }

        var survivor = named ?? ChooseSurvivor(records);
        List<Lead> ordered = [survivor, .. ByCreation(records.Where(r => !ReferenceEquals(r, survivor)))];

        var result = survivor.Clone();
        result.Type = records.Any(r => r.Type == LeadType.Opportunity) ? LeadType.Opportunity : LeadType.Lead;
        // Active when any record is; else a won deal stays won; else lost.
        result.Status = records.Any(r => r.Status == LeadStatus.Active) ? LeadStatus.Active
            : records.Any(r => r.Status == LeadStatus.Won) ? LeadStatus.Won
            : LeadStatus.Lost;
        result.WonAt = result.Status == LeadStatus.Won ? ordered.Select(r => r.WonAt).FirstOrDefault(w => w is not null) : null;
        result.UpdatedAt = now;
        result.MergedInto = null;

        var sources = FieldMerge.Apply(result, ordered, picked);
        (result.FirstTouch, result.LastTouch) = Touches.Of(ordered);
        if (result.Status != LeadStatus.Lost)
        {
            // An active or won record has no reason to be lost; a picked lostReason is cleared as well.
            result.LostReason = null;
            sources[FieldMerge.LostReason] = survivor.Id;
        }
        // The salesperson and team given by the request win over any record's (SPEC 4.4); they
        // come from no record, so the source names the survivor, where they are written.
        if (FieldMerge.Filled(options.UserId))
        {
            result.UserId = options.UserId;
            sources[FieldMerge.UserId] = survivor.Id;
        }
        if (FieldMerge.Filled(options.TeamId))
        {
            result.TeamId = options.TeamId;
            sources[FieldMerge.TeamId] = survivor.Id;
        }
        else if (FieldMerge.Filled(options.UserId))
        {
            // A salesperson without a team takes the team the way a conversion gives it (SPEC 4.3, 4.4).
            result.TeamId = Conversion.Assignment.Resolve(result, options.UserId, null, teamsByCreation ?? []).TeamId;
            sources[FieldMerge.TeamId] = survivor.Id;
        }

        // The assignment goes with the salesperson (SPEC 11): how the kept owner got the record,
        // and whether they answered it; an owner given by the request is a manual assignment.
        if (FieldMerge.Filled(options.UserId) && options.UserId != ordered.First(r => r.Id == sources[FieldMerge.UserId]).UserId)
        {
            result.AssignedAt = now;
            result.FirstResponseAt = null;
            result.Assignment = new Routing.LeadAssignment { Status = Routing.AssignmentStatus.Manual, Reason = "given by the merge", At = now };
        }
        else
        {
            var owner = ordered.First(r => r.Id == sources[FieldMerge.UserId]);
            result.Assignment = owner.Assignment;
            result.AssignedAt = owner.AssignedAt;
            result.FirstResponseAt = owner.FirstResponseAt;
        }

        return new MergeOutcome(result, survivor.Id, [.. ordered.Skip(1).Select(r => r.Id)], sources);
    }

    /// <summary>
    /// The tombstone of a merged-away record: status merged and mergedInto set, every other field
    /// kept, so GET still answers with the data and old links lead to the survivor.
    /// </summary>
    public static Lead Tombstone(Lead record, string survivorId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentException.ThrowIfNullOrWhiteSpace(survivorId);
        if (string.Equals(record.Id, survivorId, StringComparison.Ordinal))
        {
            throw new ArgumentException("A record cannot be merged into itself.", nameof(survivorId));
        }
        if (record.Status == LeadStatus.Merged)
        {
            throw new ConflictException($"The record '{record.Id}' is already merged into '{record.MergedInto}'.", record.MergedInto);
        }
        var tombstone = record.Clone();
        tombstone.Status = LeadStatus.Merged;
        tombstone.MergedInto = survivorId;
        tombstone.UpdatedAt = now;
        return tombstone;
    }

    private static void CheckCount(ValidationErrors errors, int count)
    {
        if (count is < MinRecords or > MaxRecords)
        {
            errors.Add(LeadIdsField, $"must name {MinRecords} to {MaxRecords} records; {count} given");
        }
    }

    private static void CheckRepeats(ValidationErrors errors, IEnumerable<string> ids)
    {
        var repeated = ids.GroupBy(id => id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (repeated.Count > 0)
        {
            errors.Add(LeadIdsField, "must not name a record twice: " + string.Join(", ", repeated));
        }
    }

    private static Lead? NamedSurvivor(ValidationErrors errors, string? survivorId, Dictionary<string, Lead> byId)
    {
        if (!FieldMerge.Filled(survivorId))
        {
            return null;
        }
        if (byId.TryGetValue(survivorId!, out var survivor))
        {
            return survivor;
        }
        errors.Add(SurvivorIdField, "must be one of the merged records");
        return null;
    }

    private static Dictionary<string, Lead> PickedSources(ValidationErrors errors, IReadOnlyDictionary<string, string>? fieldSources, Dictionary<string, Lead> byId)
    {
        var picked = new Dictionary<string, Lead>(StringComparer.Ordinal);
        foreach (var (field, leadId) in fieldSources ?? new Dictionary<string, string>())
        {
            if (!MergeableFields.Contains(field, StringComparer.Ordinal))
            {
                errors.Add(FieldSourcesField, $"'{Shorten(field)}' is not a field a merge can pick; use one of: {string.Join(", ", MergeableFields)}");
            }
            else if (leadId is null || !byId.TryGetValue(leadId, out var source))
            {
                errors.Add(FieldSourcesField, $"'{field}' must name one of the merged records");
            }
            else
            {
                picked[field] = source;
            }
        }
        return picked;
    }

    private static void CheckOverride(ValidationErrors errors, string field, string? id)
    {
        if (FieldMerge.Filled(id) && !Ids.IsWellFormed(id))
        {
            errors.Add(field, "must be a well-formed id");
        }
    }

    /// <summary>The first created among the active records; among all when every record is lost.</summary>
    private static Lead ChooseSurvivor(IReadOnlyList<Lead> records)
    {
        var active = records.Where(r => r.Status == LeadStatus.Active).ToList();
        return ByCreation(active.Count > 0 ? active : records).First();
    }

    // Ids are ordered by creation, so they break a tie of equal createdAt the way creation did.
    private static IEnumerable<Lead> ByCreation(IEnumerable<Lead> records) =>
        records.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id, StringComparer.Ordinal);

    // A field name is echoed in the message; an unknown one is user text of any length.
    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
