using System.Text.Json;
using Azure.Data.Tables;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Infrastructure.Leads;

/// <summary>The rows of a lead's partition (see <see cref="StorageNames"/>).</summary>
public static class LeadRows
{
    public const string IndexedKeysColumn = "IndexedKeys";

    /// <summary>
    /// True from a capture until a person acts on the record (SPEC 4.2): such a record does not
    /// crowd a key, and its index rows say so (<see cref="MatchIndex.RowOf"/>).
    /// </summary>
    public const string AnonymousColumn = "Anonymous";

    /// <summary>True while index rows of the anonymous form may exist for the record (set before they are written).</summary>
    public const string IndexedAnonymousColumn = "IndexedAnonymous";
    public const string LastCheckIdColumn = "LastCheckId";

    /// <summary>
    /// The similar ids as the record's own last check left them (space-separated): its neighbours'
    /// writes change its count, not this, so its own check still tells a pair a neighbour wrote
    /// first (SPEC 6: the check that finds a pair tells it).
    /// </summary>
    public const string CheckedSimilarColumn = "CheckedSimilar";

    /// <summary>
    /// The ids the record's own checks have told: none before its first check, and for a record
    /// checked before the column existed, its similar ids.
    /// </summary>
    public static IReadOnlySet<string> CheckedSimilar(TableEntity row, Lead lead) =>
        row.GetString(CheckedSimilarColumn) is { } told ? told.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal)
        : row.GetString(LastCheckIdColumn) is { Length: > 0 } ? lead.DuplicateCheck.SimilarIds.ToHashSet(StringComparer.Ordinal)
        : new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The merge (or undo) holding the record; other writers leave it alone until it is resolved.</summary>
    public const string MergeLockColumn = "MergeLock";

    /// <summary>
    /// The status of an erased record's row (SPEC 4.5): a stub without data that stays, so that
    /// nothing (an ingest message's snapshot, a retried import) can store the record again.
    /// </summary>
    public const string ErasedStatus = "erased";

    public static bool IsErased(TableEntity row) => row.GetString("Status") == ErasedStatus;

    public static string? MergeLockOf(TableEntity row) => row.GetString(MergeLockColumn) is { Length: > 0 } mergeId ? mergeId : null;

    /// <summary>The customers a conversion under way will create (their ids fixed), so that a retry creates no other ones.</summary>
    public const string ConversionIntentColumn = "ConversionIntent";

    /// <summary>A merge-then-convert under way from this record: what to finish if the process dies after merging.</summary>
    public const string PendingConversionColumn = "PendingConversion";

    /// <summary>
    /// A number every write of what lists show (the record, a merge's hold) moves on by one, from
    /// the row it was made on (writes are conditional on that row's version, so no two writes get
    /// the same number): a list copy is replaced only by a newer one, whatever order the copies'
    /// writes finish in. Storage's ETags change on every write but do not tell which came first.
    /// </summary>
    public const string RevisionColumn = "Revision";

    public static long RevisionOf(TableEntity row) => row.GetInt64(RevisionColumn) ?? 0;

    /// <summary>The duplicate check's status as a column, for the sweep of records whose check never ended.</summary>
    public const string CheckColumn = "Check";

    /// <summary>How often the sweep queued the record's check again (a write, so the next waits RecheckAfter).</summary>
    public const string RechecksColumn = "Rechecks";

    /// <param name="before">The row the write is made on (its revision is moved on), or null for a new record.</param>
    public static TableEntity ToEntity(Lead lead, TableEntity? before, IReadOnlyList<MatchKey>? indexedKeys = null, string? lastCheckId = null,
        bool releaseLock = false, bool clearIntent = false, bool? indexedAnonymous = null)
    {
        var entity = JsonRow.Create(lead.Id, StorageNames.LeadRow, lead);
        entity[RevisionColumn] = (before is null ? 0 : RevisionOf(before)) + 1;
        entity[CheckColumn] = Wire(lead.DuplicateCheck.Status);
        entity["Type"] = Wire(lead.Type);
        entity["Status"] = Wire(lead.Status);
        // "" rather than null: an UpdateMerge leaves a column it is not given (or given null) as it was.
        entity["TeamId"] = lead.TeamId ?? "";
        entity["UserId"] = lead.UserId ?? "";
        entity["Email"] = EmailAddress.Normalize(lead.Email) ?? "";
        // Written only by ingest; other updates merge the row and leave them as they are.
        if (indexedKeys is not null)
        {
            entity[IndexedKeysColumn] = IndexedKeysValue(indexedKeys);
        }
        if (lastCheckId is not null)
        {
            entity[LastCheckIdColumn] = lastCheckId;
        }
        if (indexedAnonymous is { } anonymous)
        {
            entity[IndexedAnonymousColumn] = anonymous;
        }
        if (releaseLock)
        {
            entity[MergeLockColumn] = "";
        }
        if (clearIntent)
        {
            entity[ConversionIntentColumn] = "";
            entity[PendingConversionColumn] = "";
        }
        return entity;
    }

    public static Lead ToLead(TableEntity entity)
    {
        var lead = JsonRow.Read<Lead>(entity);
        lead.Version = entity.ETag.ToString();
        return lead;
    }

    public static string IndexedKeysValue(IReadOnlyList<MatchKey> keys) => JsonSerializer.Serialize(keys, JsonRow.StorageOptions);

    /// <summary>The match keys under which the lead is in the index now (written by ingest).</summary>
    public static IReadOnlyList<MatchKey> IndexedKeys(TableEntity entity) =>
        entity.GetString(IndexedKeysColumn) is { Length: > 0 } json
            ? JsonSerializer.Deserialize<List<MatchKey>>(json, JsonDefaults.Options) ?? []
            : [];

    public static TableEntity Log(LogEntry entry) =>
        JsonRow.Create(entry.LeadId, StorageNames.LogPrefix + Ids.Descending(entry.Id), entry);

    public static TableEntity Edge(string ownerId, SimilarRecord other) =>
        JsonRow.Create(ownerId, StorageNames.EdgePrefix + other.Id, other);

    public static TableEntity Dismissal(string ownerId, string otherId) =>
        new(ownerId, StorageNames.DismissedPrefix + otherId);

    /// <summary>The lower-case wire name of an enumeration value, as the API writes it.</summary>
    public static string Wire<T>(T value) where T : struct, Enum =>
        JsonSerializer.Serialize(value, JsonDefaults.Options).Trim('"');
}
