using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using LeadFunctions.Domain.Conversion;
using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Outbox;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Infrastructure.Leads;

/// <summary>
/// A record as storage holds it: the record, its version, and what only storage keeps beside it
/// (a merge's hold, the keys it is indexed under, a conversion under way). A write made on it is
/// conditional on its version; its row stays inside the adapters.
/// </summary>
public sealed class StoredLead
{
    internal StoredLead(TableEntity entity) => Entity = entity;

    internal TableEntity Entity { get; }

    internal ETag ETag => Entity.ETag;

    public string Id => Entity.PartitionKey;

    /// <summary>Storage's version of the row, as clients see it in ETag and send back in If-Match.</summary>
    public string Version => Entity.ETag.ToString();

    /// <summary>A copy of the record each time: a use case changes the one it gets.</summary>
    public Lead ToLead() => LeadRows.ToLead(Entity);

    /// <summary>The merge (or undo) holding the record, or null.</summary>
    public string? MergeLock => LeadRows.MergeLockOf(Entity);

    /// <summary>The match keys under which the record is in the index now (written by ingest).</summary>
    public IReadOnlyList<MatchKey> IndexedKeys => LeadRows.IndexedKeys(Entity);

    /// <inheritdoc cref="LeadRows.AnonymousColumn"/>
    public bool Anonymous => Entity.GetBoolean(LeadRows.AnonymousColumn) == true;

    /// <inheritdoc cref="LeadRows.IndexedAnonymousColumn"/>
    public bool IndexedAnonymous => Entity.GetBoolean(LeadRows.IndexedAnonymousColumn) == true;

    /// <summary>The id of the last check that marked the record done.</summary>
    public string? LastCheckId => Entity.GetString(LeadRows.LastCheckIdColumn);

    /// <inheritdoc cref="LeadRows.CheckedSimilar"/>
    public IReadOnlySet<string> CheckedSimilar(Lead lead) => LeadRows.CheckedSimilar(Entity, lead);

    /// <inheritdoc cref="LeadRows.PendingConversionColumn"/>
    public PendingConversion? PendingConversion => Column<PendingConversion>(LeadRows.PendingConversionColumn);

    /// <inheritdoc cref="LeadRows.ConversionIntentColumn"/>
    public List<Customer>? ConversionIntent => Column<List<Customer>>(LeadRows.ConversionIntentColumn);

    /// <summary>The partitions of the list table the record is listed in.</summary>
    public IReadOnlyList<string> ListedIn => LeadList.PartitionsOf(Entity);

    /// <summary>The sequence number of the last event the record's outbox numbered (0 before any).</summary>
    public long LastEventSequence => Entity.GetInt64(OutboxRows.SequenceColumn) ?? 0;

    /// <summary>The same row at the version a write of its storage-only columns gave it (its record is unchanged).</summary>
    internal StoredLead At(ETag version) => new(new TableEntity(Entity) { ETag = version });

    private T? Column<T>(string name) where T : class =>
        Entity.GetString(name) is { Length: > 0 } json ? JsonSerializer.Deserialize<T>(json, JsonRow.StorageOptions) : null;
}
