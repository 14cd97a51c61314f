using System.Collections.Concurrent;
using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadFunctions.Infrastructure.Capture;

/// <summary>The outcome of a rate-limit check.</summary>
public readonly record struct RateDecision(bool Allowed, TimeSpan RetryAfter);

/// <summary>
/// The per-IP capture rate limit (a fixed one-minute window), decided in memory so that it costs
/// no storage request on the request path, and held across instances through Table Storage: each
/// instance adds what it counted to the window's shared row in the background, a moment
/// (<see cref="SyncDelay"/>) after a capture, and learns what the others counted
/// when it does. An instance is exact on its own; instances together may let through what arrives
/// at each of them between two syncs (a second at most), which is what the limit is for: slowing
/// a flood, not counting to the request.
/// Rows are one partition per window ("rate:{minute}", one row per hashed address), so that one
/// sync writes up to a hundred addresses in one transaction and the clean-up deletes whole windows.
/// </summary>
public sealed class CaptureRateLimit(StorageClients clients, TimeProvider clock, IOptions<CaptureOptions> options) : IDisposable
{
    private const int MaxAttempts = 16;
    private const string CountColumn = "Count";

    /// <summary>What the syncs' storage requests are counted under: a cost of capture, off its request path.</summary>
    public const string SyncRequests = "(capture rate sync)";

    /// <summary>How long counts wait to be written together: short against a minute's window.</summary>
    public static readonly TimeSpan SyncDelay = TimeSpan.FromMilliseconds(200);

    private readonly ConcurrentDictionary<string, Counter> counters = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim pending = new(0);

    /// <summary>An address's count in the current window: what storage held at the last sync, and what this instance added since.</summary>
    private sealed class Counter
    {
        public long Window;
        public int Shared;
        public int Local;
        public ETag? ETag;
    }

    /// <param name="clientKey">The client's address as a keyed hash (<see cref="KeyedHashes"/>): the row tells addresses apart without keeping them.</param>
    public RateDecision TryAcquire(string clientKey)
    {
        var now = clock.GetUtcNow();
        var window = now.ToUnixTimeSeconds() / 60;
        var counter = counters.GetOrAdd(clientKey, _ => new Counter { Window = window });
        lock (counter)
        {
            if (counter.Window != window)
            {
                (counter.Window, counter.Shared, counter.Local, counter.ETag) = (window, 0, 0, null);
            }
            if (counter.Shared + counter.Local >= options.Value.RateLimitPerMinute)
            {
                return new RateDecision(false, TimeSpan.FromSeconds(60 - (now.ToUnixTimeSeconds() % 60)));
            }
            counter.Local++;
        }
        Signal();
        return new RateDecision(true, TimeSpan.Zero);
    }

    public void Dispose() => pending.Dispose();

    /// <summary>Wakes the sync: there are counts to write.</summary>
    public void Signal()
    {
        if (pending.CurrentCount == 0)
        {
            pending.Release();
        }
    }

    /// <summary>Waits until a capture was counted since the last sync.</summary>
    public Task WaitForCountsAsync(CancellationToken ct) => pending.WaitAsync(ct);

    /// <summary>
    /// Adds what this instance counted to the shared rows, in transactions of up to a hundred
    /// addresses conditional on the rows' last known versions; a row another instance wrote
    /// meanwhile is read (which is how this instance learns the others' counts) and the write is
    /// tried again. Counters of past windows are forgotten.
    /// </summary>
    public async Task SyncAsync(CancellationToken ct)
    {
        var window = clock.GetUtcNow().ToUnixTimeSeconds() / 60;
        foreach (var (key, counter) in counters)
        {
            lock (counter)
            {
                if (counter.Window < window)
                {
                    counters.TryRemove(new KeyValuePair<string, Counter>(key, counter));
                }
            }
        }
        var dirty = counters.Where(c => Volatile.Read(ref c.Value.Local) > 0).ToList();
        if (dirty.Count == 0)
        {
            return;
        }
        await clients.EnsureCreatedAsync();
        foreach (var chunk in dirty.GroupBy(c => c.Value.Window).SelectMany(g => g.Chunk(100)))
        {
            await SyncChunkAsync(chunk, ct);
        }
        if (counters.Any(c => Volatile.Read(ref c.Value.Local) > 0))
        {
            // Counted during the sync, or still conflicting: the next sync writes them.
            Signal();
        }
    }

    private async Task SyncChunkAsync(KeyValuePair<string, Counter>[] chunk, CancellationToken ct)
    {
        var window = chunk[0].Value.Window;
        var writes = chunk.Select(c => Snapshot(c.Key, c.Value)).ToList();
        try
        {
            var response = await clients.Capture.SubmitTransactionAsync(writes.Select(w => w.Action(window)).ToList(), ct);
            for (var i = 0; i < writes.Count; i++)
            {
                writes[i].Written(window, response.Value[i].Headers.ETag);
            }
            return;
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412 or 404)
        {
            // Another instance counted one of these addresses meanwhile: each is written on its
            // own, learning the stored count where it conflicts.
        }
        foreach (var (key, counter) in chunk)
        {
            // Not Retry: a conflict learns the stored count before the next try, and one that outlasts the tries moves on to the next address.
            for (var attempt = 1; attempt <= MaxAttempts; attempt++)
            {
                var write = Snapshot(key, counter);
                try
                {
                    var action = write.Action(window);
                    var response = action.ActionType == TableTransactionActionType.Add
                        ? await clients.Capture.AddEntityAsync((TableEntity)action.Entity, ct)
                        : await clients.Capture.UpdateEntityAsync((TableEntity)action.Entity, action.ETag, TableUpdateMode.Replace, ct);
                    write.Written(window, response.Headers.ETag);
                    break;
                }
                catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
                {
                    var stored = await clients.Capture.GetEntityIfExistsAsync<TableEntity>(PartitionOf(window), key, cancellationToken: ct);
                    write.Learn(window, stored.HasValue ? stored.Value : null);
                    await Task.Delay(RandomNumberGenerator.GetInt32(1, 5 * attempt + 2), ct);
                }
            }
        }
    }

    private static Write Snapshot(string key, Counter counter)
    {
        lock (counter)
        {
            return new Write(key, counter, counter.Local, counter.Shared + counter.Local, counter.ETag);
        }
    }

    /// <summary>One address's count as a sync writes it: what this instance adds, and the total it makes.</summary>
    private sealed record Write(string Key, Counter Counter, int Added, int Total, ETag? ETag)
    {
        public TableTransactionAction Action(long window)
        {
            var row = new TableEntity(PartitionOf(window), Key) { [CountColumn] = Total };
            return ETag is { } etag
                ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, row, etag)
                : new TableTransactionAction(TableTransactionActionType.Add, row);
        }

        public void Written(long window, ETag? etag)
        {
            lock (Counter)
            {
                if (Counter.Window == window)
                {
                    Counter.Shared = Total;
                    Counter.Local -= Added;
                    Counter.ETag = etag;
                }
            }
        }

        /// <summary>The stored row another instance wrote: its count is the new base.</summary>
        public void Learn(long window, TableEntity? stored)
        {
            lock (Counter)
            {
                if (Counter.Window == window)
                {
                    Counter.Shared = stored?.GetInt32(CountColumn) ?? 0;
                    Counter.ETag = stored?.ETag;
                }
            }
        }
    }

    /// <summary>The partition of one minute's counts.</summary>
    public const string PartitionPrefix = "rate:";

    public static string PartitionOf(long window) => PartitionPrefix + window.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The minute a window partition counts, or null for another partition.</summary>
    public static long? WindowOf(string partitionKey) =>
        partitionKey.StartsWith(PartitionPrefix, StringComparison.Ordinal) && long.TryParse(partitionKey.AsSpan(PartitionPrefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var window)
            ? window
            : null;
}

/// <summary>Runs the rate limit's syncs in the background, off the capture's request path.</summary>
public sealed class CaptureRateLimitSync(CaptureRateLimit limit, ILogger<CaptureRateLimitSync> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await limit.WaitForCountsAsync(stoppingToken);
                // Counts arriving meanwhile are written together.
                await Task.Delay(CaptureRateLimit.SyncDelay, stoppingToken);
                using (StorageRequests.For(CaptureRateLimit.SyncRequests))
                {
                    await limit.SyncAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Storage unreachable for a moment: the counts stay in memory and go with the next sync.
                logger.LogWarning(e, "The capture rate counts could not be written; trying again in a second");
                limit.Signal();
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
