using Azure;
using Azure.Data.Tables;
using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Infrastructure.Leads;

/// <summary>A key's waiting relink: the record whose message will run it, and its version.</summary>
public sealed record RelinkMarker(string LeadId, ETag Version);

/// <summary>
/// At most one relink waiting per key (SPEC 4.2): a check that leaves pairs unwritten on a key's
/// records marks the key, and only the check that finds it unmarked queues the relink; the others
/// touch the marker, which tells the relink running that it must run once more. The marker is a
/// row of the key's own index partition, so an erasure of the key's records takes it with them.
/// </summary>
public sealed class RelinkMarkers(StorageClients clients, IngestQueue queue, TimeProvider clock)
{
    private const string LeadColumn = "Lead";
    private const string QueuedAtColumn = "QueuedAt";

    private TableClient Table => clients.Index;

    /// <summary>
    /// Makes sure a relink of each key runs after <paramref name="delay"/> and after this call.
    /// A marker whose relink has not ended within <paramref name="lost"/> of being due was lost
    /// with its message (or its record) and is taken over.
    /// </summary>
    public async Task DeferAsync(string leadId, IEnumerable<MatchKey> keys, TimeSpan delay, TimeSpan lost, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        await Task.WhenAll(keys.Distinct().Select(k => DeferOneAsync(leadId, k, delay, lost, ct)));
    }

    private async Task DeferOneAsync(string leadId, MatchKey key, TimeSpan delay, TimeSpan lost, CancellationToken ct)
    {
        var partition = MatchIndex.PartitionOf(key);
        // Not Retry: each outcome of a try leads somewhere else.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var found = await Table.GetEntityIfExistsAsync<TableEntity>(partition, MatchIndex.RelinkMarker, cancellationToken: ct);
            var now = clock.GetUtcNow();
            try
            {
                // The marker first, and the message only from the check that made it: checks of a
                // burst finding the key unmarked together queue one relink, not one each. A process
                // dying in between leaves a marker whose relink is late, taken over as lost.
                if (!found.HasValue)
                {
                    await Table.AddEntityAsync(Marker(partition, leadId, now), ct);
                    await QueueAsync(leadId, key.Rule, delay, ct);
                }
                else if (found.Value!.GetDateTimeOffset(QueuedAtColumn) is not { } queuedAt || queuedAt + delay + lost < now)
                {
                    await Table.UpdateEntityAsync(Marker(partition, leadId, now), found.Value.ETag, TableUpdateMode.Replace, ct);
                    await QueueAsync(leadId, key.Rule, delay, ct);
                }
                else
                {
                    // A new version tells the relink under way that it must run again (any version:
                    // checks touching it together all leave it changed; one it deleted is made again).
                    await Table.UpdateEntityAsync(new TableEntity(partition, MatchIndex.RelinkMarker) { ["TouchedAt"] = now },
                        ETag.All, TableUpdateMode.Merge, ct);
                }
                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
            {
                // Another check made or took the marker first, or the relink ended it: look again.
            }
        }
        // The pairs left would wait for no relink: the check fails and is tried again.
        throw new ConcurrencyException(leadId);
    }

    /// <summary>
    /// The key's waiting relink, if <paramref name="fromLead"/> was to run it, becomes
    /// <paramref name="toLead"/>'s: a record leaving the key (changed, merged) would find itself
    /// no longer under it when its message comes.
    /// </summary>
    public async Task HandOverAsync(MatchKey key, string fromLead, string toLead, TimeSpan delay, CancellationToken ct)
    {
        var partition = MatchIndex.PartitionOf(key);
        if (await ReadAsync(partition, ct) is not { } marker || marker.LeadId != fromLead)
        {
            return;
        }
        try
        {
            await Table.UpdateEntityAsync(Marker(partition, toLead, clock.GetUtcNow()), marker.Version, TableUpdateMode.Replace, ct);
            await QueueAsync(toLead, key.Rule, delay, ct);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Ended or taken over meanwhile.
        }
    }

    public async Task<RelinkMarker?> ReadAsync(string partition, CancellationToken ct)
    {
        var found = await Table.GetEntityIfExistsAsync<TableEntity>(partition, MatchIndex.RelinkMarker, cancellationToken: ct);
        return found.HasValue && found.Value!.GetString(LeadColumn) is { } id ? new RelinkMarker(id, found.Value.ETag) : null;
    }

    /// <summary>
    /// Ends the key's relink if nothing touched its marker since <paramref name="marker"/> was read;
    /// otherwise queues it again, to cover what the checks that touched it left.
    /// </summary>
    public async Task EndOrAgainAsync(MatchKey key, RelinkMarker marker, TimeSpan delay, CancellationToken ct)
    {
        var partition = MatchIndex.PartitionOf(key);
        try
        {
            await Table.DeleteEntityAsync(partition, MatchIndex.RelinkMarker, marker.Version, ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            try
            {
                // Only while it is there: an erasure may have taken it, with the key's records.
                await Table.UpdateEntityAsync(Marker(partition, marker.LeadId, clock.GetUtcNow()), ETag.All, TableUpdateMode.Replace, ct);
                await QueueAsync(marker.LeadId, key.Rule, delay, ct);
            }
            catch (RequestFailedException gone) when (gone.Status == 404)
            {
            }
        }
    }

    private Task QueueAsync(string leadId, MatchRule rule, TimeSpan delay, CancellationToken ct) => queue.SendAsync(new RelinkMessage(leadId, rule), ct, delay);

    private static TableEntity Marker(string partition, string leadId, DateTimeOffset now) =>
        new(partition, MatchIndex.RelinkMarker) { [LeadColumn] = leadId, [QueuedAtColumn] = now };
}
