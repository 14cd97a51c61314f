using LeadFunctions.Domain;
using LeadFunctions.Domain.Access;
using LeadFunctions.Domain.Errors;
using LeadFunctions.Domain.Leads;
using LeadFunctions.Domain.Model;
using LeadFunctions.Functions.Features.Ingest;
using LeadFunctions.Functions.Features.Leads;
using LeadFunctions.Functions.Http;
using LeadFunctions.Infrastructure.Access;
using LeadFunctions.Infrastructure.Imports;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.Extensions.Logging;

namespace LeadFunctions.Functions.Features.Imports;

/// <summary>
/// Bulk import (SPEC 4.6). Starting one validates every row as POST /leads does, fixes the ids of
/// the records the good rows will be, and cuts them into chunks: each chunk's message is sent
/// first, then the chunks and the refused rows are written, then the import's own row, which makes
/// the import exist. A chunk's execution stores its rows (an insert that finds the record stored
/// already by an earlier run is no second record), checks each for duplicates as ingest does, and
/// adds what it did to the import's counts in one transaction with its own done mark. Killed
/// anywhere, the import finishes: messages come back until their chunk is done, and a file sent
/// again whose first request died takes its claim over under the same ids. The import's row holds
/// who started it, and its chunks store their rows in that actor's name (the messages carry ids only).
/// </summary>
public sealed class ImportService(
    ImportStore store,
    StorageClients clients,
    LeadCreator leads,
    LeadStore records,
    IngestProcessor ingest,
    WriteFaults faults,
    TimeProvider clock,
    ILogger<ImportService> logger)
{
    public const int MaxRows = 10_000;
    public const int MaxBytes = 10 * 1024 * 1024;

    /// <summary>Rows per chunk: one chunk is one execution, short enough never to outlive a queue message's lease.</summary>
    public const int ChunkRows = 20;

    /// <summary>Tries of a chunk's message before its remaining rows are reported as failed rather than left undone.</summary>
    public const int MaxTries = 5;

    private const int MaxChunkJson = 200_000;

    /// <summary>How long a chunk's message waits for its import to be written before taking the request as dead.</summary>
    private static readonly TimeSpan WaitForStart = TimeSpan.FromMinutes(10);
    private const int MaxErrorsShown = 1000;
    private const int RowsAtOnce = 8;

    /// <summary>Starts an import of <paramref name="rows"/>, or finds the one the same file (or key) started.</summary>
    /// <returns>The import, and whether this request started it.</returns>
    public async Task<(ImportRecord Import, bool Started)> StartAsync(IReadOnlyList<ImportRow> rows, string contentHash, string? idempotencyKey, CancellationToken ct)
    {
        IdempotentCreate.Check(idempotencyKey);
        var now = clock.GetUtcNow();
        var id = Ids.New(now);
        if (await store.ClaimAsync(contentHash, idempotencyKey, id, ct) is { } claimed)
        {
            if (await store.FindStateAsync(claimed, ct) is { } existing)
            {
                return (await ViewAsync(existing.State, ct), false);
            }
            // The first request of this file died before the import existed: finish it under its id.
            id = claimed;
        }

        var (items, errors) = await ValidateAsync(id, rows, ct);
        var chunks = Chunks(items);
        await Task.WhenAll(chunks.Select((_, i) => SendAsync(new ImportMessage(id, i, now), ct)));
        await Task.WhenAll(chunks.Select((chunk, i) => store.WriteChunkAsync(id, i, chunk, ct))
            .Concat(Pages(errors).Select((page, i) => store.WriteErrorsAsync(id, i, page, ct))));
        var state = new ImportState
        {
            Record = new ImportRecord
            {
                Id = id,
                Status = chunks.Count == 0 ? ImportStatus.Done : ImportStatus.Running,
                Counts = new ImportCounts { Rows = rows.Count, Failed = errors.Count },
                CreatedAt = now,
                FinishedAt = chunks.Count == 0 ? now : null,
                Actor = ActorScope.Current,
            },
            Chunks = chunks.Count,
        };
        if (!await store.AddStateAsync(state, ct))
        {
            state = (await store.FindStateAsync(id, ct))!.Value.State;
        }
        logger.LogInformation("Import {ImportId} started: {Rows} rows, {Failed} refused, {Chunks} chunks", id, rows.Count, errors.Count, chunks.Count);
        return (await ViewAsync(state, ct), true);
    }

    public async Task<ImportRecord> GetAsync(string importId, CancellationToken ct)
    {
        if (!Ids.IsWellFormed(importId) || await store.FindStateAsync(importId, ct) is not { } found)
        {
            throw new NotFoundException("import", importId);
        }
        return await ViewAsync(found.State, ct);
    }

    /// <summary>Stores and checks one chunk, and counts it (once).</summary>
    public async Task ProcessAsync(ImportMessage message, long dequeueCount, CancellationToken ct)
    {
        var chunk = await store.FindChunkAsync(message.ImportId, message.Chunk, ct);
        var state = await store.FindStateAsync(message.ImportId, ct);
        if (chunk is null || state is null)
        {
            // Sent before the import was written: look again in a moment, without spending a try.
            // Past the wait its request died (the client got no 202), and a file sent again starts
            // over under the same ids.
            if (clock.GetUtcNow() - message.SentAt < WaitForStart)
            {
                await SendAsync(message, ct, TimeSpan.FromSeconds(2));
            }
            else
            {
                logger.LogWarning("Import {ImportId} was never written; chunk {Chunk} is dropped", message.ImportId, message.Chunk);
            }
            return;
        }
        if (chunk.Done)
        {
            return;
        }
        // Imports started before actors were recorded store their last rows as the system's.
        var actor = state.Value.State.Record.Actor ?? Actor.System;
        var outcome = await StoreRowsAsync(message.ImportId, chunk.Items, actor, giveUp: dequeueCount >= MaxTries, ct);
        // Not Retry: a lost race answers false rather than throwing, and what is read after it can end the work instead of trying again.
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var (current, etag) = state.Value;
            var counts = current.Record.Counts;
            counts.Stored += outcome.Stored;
            counts.Checked += outcome.Checked;
            counts.Flagged += outcome.Flagged;
            counts.Failed += outcome.Errors.Count;
            current.ChunksDone++;
            if (current.ChunksDone >= current.Chunks)
            {
                current.Record.Status = ImportStatus.Done;
                current.Record.FinishedAt = clock.GetUtcNow();
            }
            if (await store.CompleteChunkAsync(current, etag, chunk, outcome, ct))
            {
                await faults.AfterWriteAsync("import chunk done");
                return;
            }
            // Another chunk counted meanwhile (or this one, run twice, did).
            chunk = await store.FindChunkAsync(message.ImportId, message.Chunk, ct);
            state = await store.FindStateAsync(message.ImportId, ct);
            if (chunk is null || chunk.Done || state is null)
            {
                return;
            }
        }
        throw new ConflictException("The import's counts kept changing; the chunk is tried again.");
    }

    private async Task<ChunkOutcome> StoreRowsAsync(string importId, List<ImportItem> items, Actor actor, bool giveUp, CancellationToken ct)
    {
        var results = new (bool Stored, bool Checked, bool Flagged, ImportRowError? Error)[items.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, items.Count), new ParallelOptions { MaxDegreeOfParallelism = RowsAtOnce, CancellationToken = ct }, async (i, token) =>
        {
            var item = items[i];
            try
            {
                await leads.ImportAsync(JsonInput.Deserialize<LeadInput>(item.Fields), item.LeadId, item.EntryId, importId, item.Line, actor, token);
                await faults.AfterWriteAsync("import row");
            }
            catch (ValidationException e)
            {
                results[i] = (false, false, false, new ImportRowError(item.Line, e.Errors.ToDictionary()));
                return;
            }
            catch (Exception e) when (giveUp && e is not OperationCanceledException)
            {
                logger.LogError(e, "Import {ImportId}: line {Line} could not be stored after {Tries} tries", importId, item.Line, MaxTries);
                results[i] = (false, false, false, new ImportRowError(item.Line, new Dictionary<string, string[]> { ["row"] = ["The row could not be stored; send it again."] }));
                return;
            }
            // Checked here, as ingest checks a new record, in this same execution: one per chunk, not per row.
            try
            {
                await ingest.ProcessAsync(new CheckMessage(item.LeadId, item.CheckId), dequeueCount: 1, token);
                await faults.AfterWriteAsync("import check");
                results[i] = (true, true, false, null);
            }
            catch (Exception e) when (giveUp && e is not OperationCanceledException)
            {
                // Stored; its check failed every try: it is still checked by the next change or sweep.
                logger.LogError(e, "Import {ImportId}: line {Line} was stored but not checked", importId, item.Line);
                results[i] = (true, false, false, null);
            }
        });
        // Read once every check of the chunk is written: a row checked alongside a similar one learns
        // of it from that one's neighbour write, which may land after its own check.
        await Parallel.ForEachAsync(Enumerable.Range(0, items.Count).Where(i => results[i].Checked),
            new ParallelOptions { MaxDegreeOfParallelism = RowsAtOnce, CancellationToken = ct }, async (i, token) =>
            {
                var stored = await records.FindAsync(items[i].LeadId, token);
                var done = stored?.DuplicateCheck.Status == DuplicateCheckStatus.Done;
                results[i] = (true, done, done && stored!.DuplicateCheck.SimilarCount > 0, null);
            });
        return new ChunkOutcome(
            results.Count(r => r.Stored),
            results.Count(r => r.Checked),
            results.Count(r => r.Flagged),
            [.. results.Where(r => r.Error is not null).Select(r => r.Error!)]);
    }

    /// <summary>Each row through the validation of POST /leads; the good ones get the ids of their records.</summary>
    private async Task<(List<ImportItem> Items, List<ImportRowError> Errors)> ValidateAsync(string importId, IReadOnlyList<ImportRow> rows, CancellationToken ct)
    {
        var items = new List<ImportItem>();
        var errors = new List<ImportRowError>();
        foreach (var row in rows)
        {
            if (row.Problem is not null || row.Fields is null)
            {
                errors.Add(new ImportRowError(row.Line, new Dictionary<string, string[]> { ["row"] = [row.Problem ?? "The row could not be read."] }));
                continue;
            }
            try
            {
                await leads.ValidateNewAsync(JsonInput.Deserialize<LeadInput>(row.Fields), requireContact: false, ct);
            }
            catch (ValidationException e)
            {
                errors.Add(new ImportRowError(row.Line, e.Errors.ToDictionary()));
                continue;
            }
            // Fixed by the import's id and the row's place: a retry names the same records.
            var n = items.Count * 3;
            items.Add(new ImportItem(row.Line, row.Fields, Ids.Derived(importId, n), Ids.Derived(importId, n + 1), Ids.Derived(importId, n + 2)));
        }
        return (items, errors);
    }

    private static List<List<ImportItem>> Chunks(List<ImportItem> items)
    {
        var chunks = new List<List<ImportItem>>();
        var size = 0;
        foreach (var item in items)
        {
            var length = JsonRow.Serialize(item).Length;
            if (chunks.Count == 0 || chunks[^1].Count >= ChunkRows || size + length > MaxChunkJson)
            {
                chunks.Add([]);
                size = 0;
            }
            chunks[^1].Add(item);
            size += length;
        }
        return chunks;
    }

    private static IEnumerable<List<ImportRowError>> Pages(List<ImportRowError> errors) => errors.Chunk(500).Select(p => p.ToList());

    private async Task SendAsync(ImportMessage message, CancellationToken ct, TimeSpan? delay = null)
    {
        await clients.EnsureCreatedAsync();
        await clients.ImportQueue.SendMessageAsync(JsonRow.Serialize(message), visibilityTimeout: delay, cancellationToken: ct);
    }

    private async Task<ImportRecord> ViewAsync(ImportState state, CancellationToken ct)
    {
        var record = state.Record;
        if (record.Counts.Failed > 0)
        {
            record.Errors = [.. (await store.ErrorsAsync(record.Id, ct)).OrderBy(e => e.Line).Take(MaxErrorsShown)];
        }
        return record;
    }
}
