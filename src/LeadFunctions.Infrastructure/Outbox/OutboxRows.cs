using Azure;
using Azure.Data.Tables;
using LeadFunctions.Domain.Events;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Infrastructure.Outbox;

/// <summary>
/// The outbox: one row per event in the partition of the record it is about, written in the very
/// transaction of the change (SPEC 6), so that an event exists exactly when its change does.
/// Row keys <c>o|{sequence}</c> count the record's events in the order they were written (the
/// record's row keeps the count, and every write of it is conditional on its version, so two
/// writers never take the same number); the dispatch lease sorts before them.
/// </summary>
public static class OutboxRows
{
    public const string Prefix = "o|";
    public const string End = "o}";
    public const string LeaseRow = "o|!lease";
    // Named as written in OutboxStore's filters (a column name cannot be a filter parameter).
    public const string PendingColumn = "Pending";
    public const string SentAtColumn = "SentAt";
    public const string TypeColumn = "EventType";
    public const string AtColumn = "At";
    public const string EventIdColumn = "EventId";

    /// <summary>The record row's column holding the number of its last event.</summary>
    public const string SequenceColumn = "EventSequence";

    public static string RowKey(long sequence) => Prefix + sequence.ToString("D12", System.Globalization.CultureInfo.InvariantCulture);

    public static TableEntity Row(string partitionKey, long sequence, Azure.Messaging.CloudEvent cloudEvent)
    {
        var json = EventEnvelope.Serialize(cloudEvent);
        if (json.Length > JsonRow.MaxJsonLength)
        {
            // A record near the row limit cannot be carried twice in one row: the event points to it.
            json = EventEnvelope.Serialize(EventEnvelope.WithoutData(cloudEvent));
        }
        var row = JsonRow.CreateFromJson(partitionKey, RowKey(sequence), json);
        row[EventIdColumn] = cloudEvent.Id;
        row[PendingColumn] = true;
        row[TypeColumn] = cloudEvent.Type;
        row[AtColumn] = cloudEvent.Time ?? DateTimeOffset.UtcNow;
        return row;
    }

    public static string JsonOf(TableEntity row) => JsonRow.ReadJson(row);
}

/// <summary>Adds the events of a change to the transaction that writes it.</summary>
public sealed class OutboxWriter(EventsOptions options)
{
    /// <summary>For stores built without the app's services (tests, the benchmark's seeding).</summary>
    public static OutboxWriter Default { get; } = new(new EventsOptions());

    public string Source => options.Source;

    /// <summary>
    /// The outbox rows of the events the entries announce, numbered on from the record's row as it
    /// was read (<paramref name="before"/>, null for a new record); the count goes on
    /// <paramref name="record"/>, the row the same transaction writes.
    /// </summary>
    public IEnumerable<TableTransactionAction> ActionsFor(Lead lead, IReadOnlyList<LogEntry> logs, TableEntity record, TableEntity? before)
    {
        var sequence = before?.GetInt64(OutboxRows.SequenceColumn) ?? 0;
        var actions = new List<TableTransactionAction>();
        foreach (var entry in logs)
        {
            if (LeadEventTypes.Of(entry) is { } type)
            {
                var row = OutboxRows.Row(lead.Id, ++sequence, EventEnvelope.Create(options.Source, type, lead, entry));
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, row, ETag.All));
            }
        }
        if (actions.Count > 0)
        {
            record[OutboxRows.SequenceColumn] = sequence;
        }
        return actions;
    }

    /// <summary>True when the entries announce an event (so the writer wakes the dispatcher).</summary>
    public static bool Announces(IEnumerable<LogEntry> logs) => logs.Any(l => LeadEventTypes.Of(l) is not null);
}
