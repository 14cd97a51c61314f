namespace LeadFunctions.Infrastructure.Leads;

/// <summary>
/// A row of a record's partition without its storage: its key, which says what it is (the
/// record, a log entry, an edge, a mark, an event), its JSON ("" when it holds none), and for an
/// event its type and whether it is still to be sent (null on other rows).
/// </summary>
public sealed record PartitionRow(string RowKey, string Json, string? EventType, bool? Pending);
