using LeadFunctions.Domain.Access;

namespace LeadFunctions.Domain.Model;

public enum ErasureStatus { Running, Done }

/// <summary>
/// An erasure's receipt (SPEC 4.5): when, and how many of each kind of row it erased or cleaned,
/// with no personal data, not even a hash of it.
/// </summary>
public sealed class ErasureRecord
{
    public string Id { get; set; } = "";
    public ErasureStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public ErasureCounts Counts { get; set; } = new();

    /// <summary>
    /// Who asked for the erasure (SPEC 10): the operator, never the erased person, so it is no
    /// personal data of theirs. Its rounds (queue functions) write in this actor's name.
    /// </summary>
    public Actor? Actor { get; set; }
}

/// <summary>What an erasure found and took out, per kind (planned before the first write, so a retry counts nothing twice).</summary>
public sealed class ErasureCounts
{
    /// <summary>The person's records (leads, opportunities, merged ones), each left as a stub without data.</summary>
    public int Records { get; set; }

    /// <summary>Their log entries, and entries about them on other records that were cleaned or removed.</summary>
    public int LogEntries { get; set; }

    /// <summary>Similar-record edges and "not a duplicate" marks, on their records and on others.</summary>
    public int Edges { get; set; }

    public int IndexEntries { get; set; }
    public int ListEntries { get; set; }
    /// <summary>The person's own customers, deleted.</summary>
    public int Customers { get; set; }

    /// <summary>Companies made from their records, kept under their name with the person's contact details taken out.</summary>
    public int CustomersCleaned { get; set; }

    /// <summary>Merges whose images of the person were erased (they can no longer be undone).</summary>
    public int Merges { get; set; }

    /// <summary>Other people's records that had merged one of theirs and were cleaned of it.</summary>
    public int SurvivorsCleaned { get; set; }

    /// <summary>Other people's records merged into one of theirs, brought back as they were before.</summary>
    public int RecordsRestored { get; set; }

    public int OutboxRows { get; set; }
    public int WebhookDeliveries { get; set; }
    public int CaptureRows { get; set; }

    /// <summary>Idempotency-Key rows of the creates that made their records, customers or notes.</summary>
    public int IdempotencyKeys { get; set; }

    public int ImportRows { get; set; }

    /// <summary>Adds a round's counts to these.</summary>
    public void Add(ErasureCounts round)
    {
        ArgumentNullException.ThrowIfNull(round);
        foreach (var property in typeof(ErasureCounts).GetProperties())
        {
            property.SetValue(this, (int)property.GetValue(this)! + (int)property.GetValue(round)!);
        }
    }
}
