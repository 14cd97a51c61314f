using LeadFunctions.Domain.Erasure;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Erasures;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Infrastructure.Tests.Erasures;

/// <summary>The erasure's plan rows: a plan of any size is saved and read back whole, and a plan made twice never mixes with the other.</summary>
public sealed class ErasureStoreTests(SharedAzurite azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_plan_larger_than_one_transaction_is_saved_and_read_back_in_order()
    {
        var store = new ErasureStore(azurite.NewClients());
        var (record, state) = await StartAsync(store);
        // 600 steps of about 20,000 characters each: 12 MB, over 100 rows, many transactions.
        var ops = Enumerable.Range(0, 600).Select(i => (ErasureOp)new CopyRows(Domain.Ids.New(), [new MovedRow($"l|{i:D5}", new string('x', 20_000))])).ToList();

        var etag = await store.SavePlanAsync(record, state, ops, await StateETagAsync(store, record.Id), Ct);

        var read = (await store.ReadAsync(record.Id, Ct))!.Value;
        read.StateETag.Should().Be(etag);
        read.State!.PlanId.Should().NotBeNullOrEmpty();
        JsonRow.Serialize(await store.OpsAsync(record.Id, read.State, Ct)).Should().Be(JsonRow.Serialize(ops));
    }

    [Fact]
    public async Task A_plan_made_again_after_one_that_never_landed_reads_as_itself_alone()
    {
        var store = new ErasureStore(azurite.NewClients());
        var (record, state) = await StartAsync(store);
        var stale = await StateETagAsync(store, record.Id);
        var first = Enumerable.Range(0, 300).Select(i => (ErasureOp)new CopyRows($"first{i}", [new MovedRow("l|1", new string('y', 20_000))])).ToList();
        var second = Enumerable.Range(0, 120).Select(i => (ErasureOp)new Recheck($"second{i}")).ToList();
        await store.SavePlanAsync(record, state, second, stale, Ct);

        // Another run, planning from the same state it read before: its first transactions of rows land, its state is refused.
        var late = new ErasureState { Target = state.Target };
        var saving = () => store.SavePlanAsync(record, late, first, stale, Ct);
        await saving.Should().ThrowAsync<Azure.Data.Tables.TableTransactionFailedException>();

        var read = (await store.ReadAsync(record.Id, Ct))!.Value;
        JsonRow.Serialize(await store.OpsAsync(record.Id, read.State!, Ct)).Should().Be(JsonRow.Serialize(second));
    }

    private static async Task<(ErasureRecord, ErasureState)> StartAsync(ErasureStore store)
    {
        var record = new ErasureRecord { Id = Domain.Ids.New(), Status = ErasureStatus.Running, CreatedAt = DateTimeOffset.UtcNow };
        var state = new ErasureState { Target = new ErasureTarget("someone@example.test", null, null) };
        await store.StartAsync(record, state, Ct);
        return (record, state);
    }

    private static async Task<Azure.ETag> StateETagAsync(ErasureStore store, string id) => (await store.ReadAsync(id, Ct))!.Value.StateETag;
}
