using LeadFunctions.Domain.Access;
using LeadFunctions.Domain.Erasure;
using LeadFunctions.Domain.Errors;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Access;
using LeadFunctions.Infrastructure.Erasures;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.Extensions.Logging;

namespace LeadFunctions.Functions.Features.Erasure;

/// <summary>"Run (or resume) this erasure."</summary>
public sealed record ErasureMessage(string ErasureId);

/// <summary>
/// Erasure (SPEC 4.5). The request writes the erasure's journal and hands it to the queue; the
/// queue function runs it in rounds: plan every step (reading only), save the plan, run the steps
/// in order saving how far it got, then look for the person again, so that a record stored while
/// it ran is erased in the next round; a round that finds nothing ends it. Killed anywhere, the
/// message comes back and the run goes on from the step it reached; when it is done only the
/// receipt remains. The receipt holds who asked, and every round writes in their name.
/// </summary>
public sealed class ErasureService(
    StorageClients clients,
    ErasureStore store,
    ErasurePlanner planner,
    ErasureSteps steps,
    Domain.Matching.PhoneNumbers phones,
    WriteFaults faults,
    Microsoft.Extensions.Options.IOptions<ErasureOptions> options,
    TimeProvider clock,
    ILogger<ErasureService> logger)
{
    /// <summary>A person found again after this many rounds keeps arriving faster than they are erased: the next message goes on.</summary>
    private const int MaxRounds = 5;
    private const int SaveEvery = 20;

    /// <param name="id">Chosen by the caller, so that a retry under the same Idempotency-Key starts the same erasure.</param>
    public async Task<ErasureRecord> StartAsync(ErasureRequest request, string id, CancellationToken ct)
    {
        var target = ErasureTarget.Parse(request.Email, request.Phone, phones, out var errors);
        if (!errors.IsEmpty)
        {
            throw new ValidationException(errors);
        }
        var now = clock.GetUtcNow();
        var record = new ErasureRecord { Id = id, Status = ErasureStatus.Running, CreatedAt = now, Actor = ActorScope.Current };
        // The message first, a moment late: if the journal is never written it finds nothing to do,
        // and if the process dies after writing it, it runs it.
        await SendAsync(record.Id, ct, TimeSpan.FromSeconds(1));
        await store.StartAsync(record, new ErasureState { Target = target }, ct);
        await faults.AfterWriteAsync("erasure journal");
        return record;
    }

    public Task<ErasureRecord?> FindAsync(string id, CancellationToken ct) => store.FindAsync(id, ct);

    public async Task<ErasureRecord> GetAsync(string id, CancellationToken ct) =>
        await store.FindAsync(id, ct) ?? throw new NotFoundException("erasure", id);

    public async Task SendAsync(string erasureId, CancellationToken ct, TimeSpan? delay = null)
    {
        await clients.EnsureCreatedAsync();
        await clients.ErasureQueue.SendMessageAsync(JsonRow.Serialize(new ErasureMessage(erasureId)), visibilityTimeout: delay, cancellationToken: ct);
    }

    public async Task RunAsync(string erasureId, CancellationToken ct)
    {
        if (await store.ReadAsync(erasureId, ct) is not { } read)
        {
            return;
        }
        var (record, state, etag) = read;
        // The queue function runs as the system; what it writes is the requester's doing.
        var actor = record.Actor ?? Actor.System;
        if (state is null)
        {
            // Done: a run that died after the receipt may have left plan rows.
            await store.DeletePlanAsync(erasureId, ct);
            return;
        }
        for (var rounds = 0; rounds < MaxRounds; rounds++)
        {
            if (!state.Planned)
            {
                var scan = new ErasureScan(state.ScanFrom, state.ScanFound, options.Value.ScanPageSize, async (next, found) =>
                {
                    state.ScanFrom = next;
                    state.ScanFound = [.. found];
                    etag = await store.SaveStateAsync(erasureId, state, etag, ct);
                    await faults.AfterWriteAsync($"erasure scan {state.Round}");
                });
                var plan = await planner.PlanAsync(erasureId, state, scan, ct);
                if (plan.Busy)
                {
                    // Finished or rolled back by whoever meets it, or by its watchdog: look again then.
                    await SendAsync(erasureId, ct, TimeSpan.FromSeconds(5));
                    return;
                }
                if (plan.RecordIds.Count == 0 && plan.Ops.Count == 0 && state.Round > 0)
                {
                    record.Status = ErasureStatus.Done;
                    record.FinishedAt = clock.GetUtcNow();
                    await store.FinishAsync(record, etag, ct);
                    await faults.AfterWriteAsync("erasure done");
                    logger.LogInformation("Erasure {ErasureId} done: {Records} records, {Customers} customers", erasureId, record.Counts.Records, record.Counts.Customers);
                    return;
                }
                record.Counts.Add(plan.Counts);
                state.Planned = true;
                state.NextOp = 0;
                state.OpCount = plan.Ops.Count;
                state.Values = [.. plan.Values];
                state.ErasedIds = [.. state.ErasedIds.Union(plan.RecordIds)];
                state.OtherIds = [.. plan.OtherIds];
                // Planned: the next round scans from the start.
                state.ScanFrom = null;
                state.ScanFound = [];
                etag = await store.SavePlanAsync(record, state, plan.Ops, etag, ct);
                await faults.AfterWriteAsync($"erasure plan {state.Round}");
            }
            var ops = await store.OpsAsync(erasureId, state, ct);
            var values = state.Values.ToHashSet(StringComparer.OrdinalIgnoreCase);
            while (state.NextOp < ops.Count)
            {
                await faults.AtAsync("erasure:step");
                await steps.RunAsync(erasureId, ops[state.NextOp], values, actor, ct);
                await faults.AfterWriteAsync($"erasure step {state.Round}.{state.NextOp}");
                state.NextOp++;
                if (state.NextOp % SaveEvery == 0 || state.NextOp == ops.Count)
                {
                    etag = await store.SaveStateAsync(erasureId, state, etag, ct);
                }
            }
            state.Round++;
            state.Planned = false;
            etag = await store.SaveStateAsync(erasureId, state, etag, ct);
            if (ops.Count > 0)
            {
                // A check that read one of their records before it became a stub may still write
                // an edge to it: the next round looks once such checks are over.
                await SendAsync(erasureId, ct, options.Value.SettleAfter);
                return;
            }
        }
        // Still finding the person after many rounds: go on in a fresh execution.
        await SendAsync(erasureId, ct, TimeSpan.FromSeconds(1));
    }

    /// <summary>
    /// The background pass behind the queue's retries: an erasure still running long after its
    /// last step (its message spent, say, by a poison queue) is sent on again.
    /// </summary>
    /// <returns>The erasures woken.</returns>
    public async Task<int> ResumeStalledAsync(TimeSpan after, CancellationToken ct)
    {
        var woken = 0;
        foreach (var id in await store.StalledAsync(clock.GetUtcNow() - after, ct))
        {
            await SendAsync(id, ct);
            woken++;
        }
        return woken;
    }
}

/// <summary>Erasure settings (configuration section "Erasure").</summary>
public sealed class ErasureOptions
{
    /// <summary>The wait between a round that took something out and the next look: longer than a duplicate check takes.</summary>
    public TimeSpan SettleAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Record rows a round's scan reads per page (at most what one Table request returns); its place is saved after each.</summary>
    public int ScanPageSize { get; set; } = 1000;
}
