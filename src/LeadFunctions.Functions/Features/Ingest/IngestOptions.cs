namespace LeadFunctions.Functions.Features.Ingest;

/// <summary>How duplicate checks are retried and swept (configuration section "Ingest", SPEC 4.2).</summary>
public sealed class IngestOptions
{
    /// <summary>A record still pending this long after it was stored is listed and its check queued again by the sweep.</summary>
    public TimeSpan RecheckAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The wait before a failed check's first retry; each retry after waits twice as long (at most an hour).</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long after a check leaves pairs unwritten on a key's records (it writes onto 20 at
    /// most) the key's relink writes them; one relink per key at a time, so a burst on one key
    /// costs one relink per this time, not one per record.
    /// </summary>
    public TimeSpan RelinkAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Tries of one check (and queueings by the sweep) before the record shows its check failed.</summary>
    public int MaxAttempts { get; set; } = 8;
}
