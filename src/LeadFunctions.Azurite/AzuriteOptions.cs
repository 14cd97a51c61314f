namespace LeadFunctions.Azurite;

/// <summary>How to start Azurite. A port of 0 means any free port; a taken preferred port falls back to a free one.</summary>
public sealed record AzuriteOptions
{
    /// <summary>Keep no data on disk (tests); otherwise data lives in <see cref="Location"/>.</summary>
    public bool InMemory { get; init; }

    /// <summary>Data folder when not in memory; null means &lt;repository&gt;/.azurite.</summary>
    public string? Location { get; init; }

    /// <summary>
    /// Preload azurite-table-index.cjs so that a point lookup and a partition query cost what they
    /// cost on Table Storage instead of growing with the table; false runs Azurite exactly as shipped.
    /// </summary>
    public bool TableIndex { get; init; } = true;

    public int BlobPort { get; init; }
    public int QueuePort { get; init; }
    public int TablePort { get; init; }

    /// <summary>Where node_modules lives; null means the repository found above the application or current directory.</summary>
    public string? RepositoryRoot { get; init; }

    /// <summary>
    /// How long Azurite may take to listen: a cap, not a wait (it usually listens within a second or
    /// two), generous because Node.js starting beside a busy build can take a minute.
    /// </summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How long to wait for another process's <c>npm ci</c> of Azurite before giving up.</summary>
    public TimeSpan InstallTimeout { get; init; } = TimeSpan.FromMinutes(10);

    public static AzuriteOptions DefaultPorts { get; } = new() { BlobPort = 10000, QueuePort = 10001, TablePort = 10002 };

    public static AzuriteOptions InMemoryOnFreePorts { get; } = new() { InMemory = true };
}
