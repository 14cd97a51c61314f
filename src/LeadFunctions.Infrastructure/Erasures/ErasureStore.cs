using Azure;
using Azure.Data.Tables;
using LeadFunctions.Domain.Erasure;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Infrastructure.Erasures;

/// <summary>Where an erasure is while it runs: the person, the round, its plan's next step, the values to look for.</summary>
public sealed class ErasureState
{
    public ErasureTarget Target { get; set; } = new(null, null, null);
    public int Round { get; set; }
    public bool Planned { get; set; }
    public int NextOp { get; set; }
    public int OpCount { get; set; }

    /// <summary>Names the rows of the round's plan: a plan made twice (two runs at once, a run that died saving) leaves the other's rows alone.</summary>
    public string? PlanId { get; set; }
    public List<string> ErasedIds { get; set; } = [];

    /// <summary>Other people's records that knew theirs: looked through again each round, since a check running meanwhile may write to them.</summary>
    public List<string> OtherIds { get; set; } = [];
    public List<string> Values { get; set; } = [];

    /// <summary>
    /// Where this round's scan of the record rows goes on (a continuation), saved after each page so
    /// that a run cut off (the function's timeout, a crash) resumes there instead of from the start
    /// on a large tenant; null before its first page is done, and again once the round is planned.
    /// </summary>
    public string? ScanFrom { get; set; }

    /// <summary>The records this round's scan matched on the pages before <see cref="ScanFrom"/>: read again by id when it ends.</summary>
    public List<string> ScanFound { get; set; } = [];
}

/// <summary>
/// The <c>erasures</c> table, one partition per erasure: the receipt ("journal", what GET answers,
/// no personal data) and, only while it runs, its state ("state") and its plan ("ops|{round}|{plan}|{n}"),
/// which hold the person's data and go when it is done (the journal protocol of <see cref="JournalTable"/>).
/// </summary>
public sealed class ErasureStore(StorageClients clients)
{
    private const string JournalRow = JournalTable.JournalRow;
    private const string StateRow = "state";
    private const string OpsPrefix = "ops|";
    private const int OpsPerRow = 100;

    private readonly JournalTable journals = new(clients, c => c.Erasures);

    public async Task StartAsync(ErasureRecord record, ErasureState state, CancellationToken ct) =>
        await journals.WriteAsync([],
        [
            new TableTransactionAction(TableTransactionActionType.Add, JsonRow.Create(record.Id, JournalRow, record)),
            new TableTransactionAction(TableTransactionActionType.Add, JsonRow.Create(record.Id, StateRow, state)),
        ], () => Task.CompletedTask, ct);

    public async Task<ErasureRecord?> FindAsync(string id, CancellationToken ct) =>
        Domain.Ids.IsWellFormed(id) ? (await journals.ReadAsync<ErasureRecord>(id, JournalRow, ct))?.Value : null;

    /// <summary>The receipt and the state, or null state once the erasure is done.</summary>
    public async Task<(ErasureRecord Record, ErasureState? State, ETag StateETag)?> ReadAsync(string id, CancellationToken ct)
    {
        if (await journals.ReadAsync<ErasureRecord>(id, JournalRow, ct) is not { } journal)
        {
            return null;
        }
        var state = await journals.ReadAsync<ErasureState>(id, StateRow, ct);
        return (journal.Value, state?.Value, state?.ETag ?? default);
    }

    /// <summary>
    /// A round's plan, the state that says it is planned, and the receipt's counts: in one
    /// transaction when they fit in one. A larger plan's rows go first, in as many transactions as
    /// they take, and the state and receipt last: until they land the round is not planned. Its
    /// rows are named by a new plan id, so that a plan made at the same time by another run, or
    /// again after a run died saving, never mixes with it (all go when the erasure is done).
    /// </summary>
    public async Task<ETag> SavePlanAsync(ErasureRecord record, ErasureState state, IReadOnlyList<ErasureOp> ops, ETag stateETag, CancellationToken ct)
    {
        state.PlanId = Domain.Ids.New();
        var rows = Rows(ops).Select((chunk, i) => JsonRow.Create(record.Id, OpsKey(state, i), chunk));
        var closing = await journals.WriteAsync(rows,
        [
            new TableTransactionAction(TableTransactionActionType.UpdateReplace, JsonRow.Create(record.Id, StateRow, state), stateETag),
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, JsonRow.Create(record.Id, JournalRow, record)),
        ], () => Task.CompletedTask, ct);
        return closing[0].Headers.ETag ?? ETag.All;
    }

    /// <summary>The steps of the round's plan, in order.</summary>
    public async Task<List<ErasureOp>> OpsAsync(string id, ErasureState state, CancellationToken ct)
    {
        var ops = new List<ErasureOp>();
        await foreach (var row in journals.RowsAsync(id, OpsKey(state, null), null, ct))
        {
            ops.AddRange(JsonRow.Read<List<ErasureOp>>(row));
        }
        return ops;
    }

    /// <exception cref="ConcurrencyException">Another run moved the erasure on meanwhile.</exception>
    public Task<ETag> SaveStateAsync(string id, ErasureState state, ETag etag, CancellationToken ct) =>
        journals.ReplaceAsync(id, StateRow, state, etag, ct);

    /// <summary>The receipt as done, and every working row (the person's data) gone: first the receipt and state together, then the plan.</summary>
    public async Task FinishAsync(ErasureRecord record, ETag stateETag, CancellationToken ct)
    {
        try
        {
            await journals.WriteAsync([],
            [
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, JsonRow.Create(record.Id, JournalRow, record)),
                new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(record.Id, StateRow), stateETag),
            ], () => Task.CompletedTask, ct);
        }
        catch (TableTransactionFailedException e) when (e.Status is 404 or 412)
        {
            throw new ConcurrencyException(record.Id);
        }
        await DeletePlanAsync(record.Id, ct);
    }

    /// <summary>Erasures whose state has not moved since <paramref name="before"/>.</summary>
    public async Task<IReadOnlyList<string>> StalledAsync(DateTimeOffset before, CancellationToken ct) =>
        await journals.AllAsync<ErasureState>(StateRow, before, ct).Select(s => s.Row.PartitionKey).ToListAsync(ct);

    /// <summary>The plan rows of a finished erasure (also what a run that died after finishing left).</summary>
    public Task DeletePlanAsync(string id, CancellationToken ct) =>
        journals.DeleteWorkingRowsAsync(id, OpsPrefix, () => Task.CompletedTask, ct);

    /// <summary>The plan in rows of at most <see cref="OpsPerRow"/> steps, each well inside a row's size.</summary>
    private static IEnumerable<List<ErasureOp>> Rows(IReadOnlyList<ErasureOp> ops)
    {
        var row = new List<ErasureOp>();
        var length = 0;
        foreach (var op in ops)
        {
            var size = JsonRow.Serialize(op).Length;
            if (row.Count > 0 && (row.Count == OpsPerRow || length + size > JsonRow.MaxJsonLength / 2))
            {
                yield return row;
                (row, length) = ([], 0);
            }
            row.Add(op);
            length += size;
        }
        if (row.Count > 0)
        {
            yield return row;
        }
    }

    // A plan saved before plan ids (PlanId null) has its rows straight under the round.
    private static string OpsKey(ErasureState state, int? chunk) =>
        OpsPrefix + state.Round.ToString("D3", System.Globalization.CultureInfo.InvariantCulture) + "|" + (state.PlanId is null ? "" : state.PlanId + "|")
        + chunk?.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
}
