using Azure;
using Azure.Data.Tables;
using LeadFunctions.Domain.Erasure;
using LeadFunctions.Domain.Model;

namespace LeadFunctions.Storage.Erasure;

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
}

/// <summary>
/// The <c>erasures</c> table, one partition per erasure: the receipt ("journal", what GET answers,
/// no personal data) and, only while it runs, its state ("state") and its plan ("ops|{round}|{n}"),
/// which hold the person's data and go when it is done.
/// </summary>
public sealed class ErasureStore(StorageClients clients)
{
    private const string JournalRow = "journal";
    private const string StateRow = "state";
    private const string OpsPrefix = "ops|";
    private const int OpsPerRow = 100;

    // A transaction holds at most 100 rows and 4 MiB: the JSON of one is kept to a million
    // characters, which even three bytes a character keeps under the limit.
    private const int TransactionRows = 100;
    private const int TransactionJsonLength = 1_000_000;

    private TableClient Table => clients.Erasures;

    public async Task StartAsync(ErasureRecord record, ErasureState state, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        await Table.SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.Add, JsonRow.Create(record.Id, JournalRow, record)),
            new TableTransactionAction(TableTransactionActionType.Add, JsonRow.Create(record.Id, StateRow, state)),
        ], ct);
    }

    public async Task<ErasureRecord?> FindAsync(string id, CancellationToken ct)
    {
        if (!Domain.Ids.IsWellFormed(id))
        {
            return null;
        }
        await clients.EnsureCreatedAsync();
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(id, JournalRow, cancellationToken: ct);
        return row.HasValue ? JsonRow.Read<ErasureRecord>(row.Value!) : null;
    }

    /// <summary>The receipt and the state, or null state once the erasure is done.</summary>
    public async Task<(ErasureRecord Record, ErasureState? State, ETag StateETag)?> ReadAsync(string id, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var journal = await Table.GetEntityIfExistsAsync<TableEntity>(id, JournalRow, cancellationToken: ct);
        if (!journal.HasValue)
        {
            return null;
        }
        var state = await Table.GetEntityIfExistsAsync<TableEntity>(id, StateRow, cancellationToken: ct);
        return (JsonRow.Read<ErasureRecord>(journal.Value!), state.HasValue ? JsonRow.Read<ErasureState>(state.Value!) : null, state.HasValue ? state.Value!.ETag : default);
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
        var batches = new List<List<TableTransactionAction>> { new() };
        var length = 0;
        foreach (var (chunk, chunkLength) in Rows(ops))
        {
            if (batches[^1].Count == TransactionRows - 2 || length + chunkLength > TransactionJsonLength)
            {
                batches.Add([]);
                length = 0;
            }
            batches[^1].Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, JsonRow.Create(record.Id, OpsKey(state, batches.Sum(b => b.Count)), chunk)));
            length += chunkLength;
        }
        foreach (var batch in batches.SkipLast(1))
        {
            await Table.SubmitTransactionAsync(batch, ct);
        }
        var last = batches[^1];
        last.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace, JsonRow.Create(record.Id, StateRow, state), stateETag));
        last.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, JsonRow.Create(record.Id, JournalRow, record)));
        var response = await Table.SubmitTransactionAsync(last, ct);
        return response.Value[^2].Headers.ETag ?? ETag.All;
    }

    /// <summary>The steps of the round's plan, in order.</summary>
    public async Task<List<ErasureOp>> OpsAsync(string id, ErasureState state, CancellationToken ct)
    {
        var prefix = OpsKey(state, null);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {id} and RowKey ge {prefix} and RowKey lt {TableKeys.PrefixEnd(prefix)}");
        var ops = new List<ErasureOp>();
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            ops.AddRange(JsonRow.Read<List<ErasureOp>>(row));
        }
        return ops;
    }

    /// <exception cref="ConcurrencyException">Another run moved the erasure on meanwhile.</exception>
    public async Task<ETag> SaveStateAsync(string id, ErasureState state, ETag etag, CancellationToken ct)
    {
        try
        {
            return (await Table.UpdateEntityAsync(JsonRow.Create(id, StateRow, state), etag, TableUpdateMode.Replace, ct)).Headers.ETag ?? ETag.All;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            throw new ConcurrencyException(id);
        }
    }

    /// <summary>The receipt as done, and every working row (the person's data) gone: first the receipt and state together, then the plan.</summary>
    public async Task FinishAsync(ErasureRecord record, ETag stateETag, CancellationToken ct)
    {
        try
        {
            await Table.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, JsonRow.Create(record.Id, JournalRow, record)),
                new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(record.Id, StateRow), stateETag),
            ], ct);
        }
        catch (TableTransactionFailedException e) when (e.Status is 404 or 412)
        {
            throw new ConcurrencyException(record.Id);
        }
        await DeletePlanAsync(record.Id, ct);
    }

    /// <summary>Erasures whose state has not moved since <paramref name="before"/>.</summary>
    public async Task<IReadOnlyList<string>> StalledAsync(DateTimeOffset before, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var ids = new List<string>();
        await foreach (var row in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey eq {StateRow} and Timestamp lt {before}"), select: ["PartitionKey"], cancellationToken: ct))
        {
            ids.Add(row.PartitionKey);
        }
        return ids;
    }

    /// <summary>The plan rows of a finished erasure (also what a run that died after finishing left).</summary>
    public Task DeletePlanAsync(string id, CancellationToken ct) =>
        TableBatches.DeleteAllAsync(Table, TableClient.CreateQueryFilter($"PartitionKey eq {id} and RowKey ge {OpsPrefix} and RowKey lt {TableKeys.PrefixEnd(OpsPrefix)}"),
            () => Task.CompletedTask, ct);

    /// <summary>The plan in rows of at most <see cref="OpsPerRow"/> steps, each well inside a row's size, with their JSON's length.</summary>
    private static IEnumerable<(List<ErasureOp> Ops, int Length)> Rows(IReadOnlyList<ErasureOp> ops)
    {
        var row = new List<ErasureOp>();
        var length = 0;
        foreach (var op in ops)
        {
            var size = JsonRow.Serialize(op).Length;
            if (row.Count > 0 && (row.Count == OpsPerRow || length + size > JsonRow.MaxJsonLength / 2))
            {
                yield return (row, length);
                (row, length) = ([], 0);
            }
            row.Add(op);
            length += size;
        }
        if (row.Count > 0)
        {
            yield return (row, length);
        }
    }

    // A plan saved before plan ids (PlanId null) has its rows straight under the round.
    private static string OpsKey(ErasureState state, int? chunk) =>
        OpsPrefix + state.Round.ToString("D3", System.Globalization.CultureInfo.InvariantCulture) + "|" + (state.PlanId is null ? "" : state.PlanId + "|")
        + chunk?.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
}
