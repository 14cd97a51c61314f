using System.Text.Json.Serialization;
using LeadFunctions.Domain.Model;

namespace LeadFunctions.Infrastructure.Erasures;

/// <summary>
/// One step of an erasure's plan. The plan is written whole before the first of its steps runs,
/// every step is idempotent, and the erasure keeps the index of the next step: a run killed
/// anywhere is resumed by the next one, from a step it may repeat but never skip.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "op")]
[JsonDerivedType(typeof(DeleteRow), "delete")]
[JsonDerivedType(typeof(ScrubRow), "scrub")]
[JsonDerivedType(typeof(EraseRecord), "erase-record")]
[JsonDerivedType(typeof(DropMergedRecord), "drop-merged-record")]
[JsonDerivedType(typeof(CleanSurvivor), "clean-survivor")]
[JsonDerivedType(typeof(RestoreMerged), "restore-merged")]
[JsonDerivedType(typeof(CopyRows), "copy-rows")]
[JsonDerivedType(typeof(EraseMerge), "erase-merge")]
[JsonDerivedType(typeof(Recheck), "recheck")]
[JsonDerivedType(typeof(CleanCustomer), "clean-customer")]
public abstract record ErasureOp;

/// <summary>Deletes one row (gone already is done).</summary>
public sealed record DeleteRow(string Table, string PartitionKey, string RowKey) : ErasureOp;

/// <summary>
/// Rewrites one JSON row with every string holding the person's values replaced; with
/// <paramref name="TheirsOnly"/> (a row of many people's data, an import's), only in the objects
/// their email or phone names.
/// </summary>
public sealed record ScrubRow(string Table, string PartitionKey, string RowKey, bool TheirsOnly = false) : ErasureOp;

/// <summary>
/// Replaces the record's row by a stub without data, with its lead.erased event (ids only) in the
/// same transaction, numbered after its last event.
/// </summary>
public sealed record EraseRecord(string LeadId, long LastSequence, string EventId) : ErasureOp;

/// <summary>Takes an erased record's values out of another record's "merged" history entry.</summary>
public sealed record DropMergedRecord(string LeadId, string RowKey, string ErasedId) : ErasureOp;

/// <summary>Takes back from another person's record what it took from an erased record it merged.</summary>
public sealed record CleanSurvivor(string LeadId, Lead Before, Lead Erased, string EntryId) : ErasureOp;

/// <summary>
/// Brings back another person's record that had been merged into an erased one, as it was
/// before that merge (its log rows come home by <see cref="CopyRows"/> steps planned before it).
/// </summary>
public sealed record RestoreMerged(string LeadId, string ErasedSurvivorId, Lead Image, string EntryId) : ErasureOp;

/// <summary>Log rows of a record, kept here because the partition they were in goes: copied back home.</summary>
public sealed record CopyRows(string LeadId, IReadOnlyList<MovedRow> Rows) : ErasureOp;

/// <summary>A log row as it was, by its key and its JSON.</summary>
public sealed record MovedRow(string RowKey, string Json);

/// <summary>Marks the merge as erased (no longer undoable) and deletes its images.</summary>
public sealed record EraseMerge(string MergeId) : ErasureOp;

/// <summary>Asks ingest to check the record again (its similar records, index keys and count).</summary>
public sealed record Recheck(string LeadId) : ErasureOp;

/// <summary>A company customer made from their record stays, without the person's email, phone, website and address.</summary>
public sealed record CleanCustomer(string CustomerId) : ErasureOp;
