using Azure;
using Azure.Data.Tables;

namespace LeadFunctions.Azurite.Tests;

/// <summary>
/// The table-index preload must change what Azurite costs, never what it answers: the same writes
/// and reads against an indexed and a stock Azurite give the same rows, errors and pages.
/// </summary>
public sealed class AzuriteTableIndexTests
{
    // Keys LokiJS's loose ordering treats alike ("10", "1e1" and "10.0" are one number to it), a
    // key shared across partitions like the leads table's record RowKey, quotes and non-ASCII.
    private static readonly string[] Partitions = ["10", "1e1", "10.0", "010", "a", "b", "O'Brien", "æøå", "p|+4712345678", "x"];
    private static readonly string[] Rows = ["a", "10", "1e1", "l|0001", "l|0002", "e|x", "z"];

    private static readonly string[] Filters =
    [
        "PartitionKey eq '10'",
        "PartitionKey eq '1e1'",
        "PartitionKey eq 'O''Brien'",
        "PartitionKey eq 'æøå' and RowKey gt 'b'",
        "RowKey eq 'a' and PartitionKey eq '10.0'",
        "PartitionKey eq 'a' and (RowKey eq 'z' or RowKey eq '10')",
        "PartitionKey eq 'a' or PartitionKey eq 'b'",
        "not (PartitionKey eq 'a')",
        "PartitionKey eq 'missing'",
        "RowKey eq 'a'",
        "PartitionKey ge 'a' and PartitionKey lt 'x'",
        "PartitionKey eq 'x' and N gt 3",
        "'b' eq PartitionKey",
    ];

    [Fact]
    public async Task An_indexed_Azurite_answers_every_read_and_write_as_a_stock_one_does()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var indexed = await AzuriteProcess.StartAsync(AzuriteOptions.InMemoryOnFreePorts, ct);
        await using var stock = await AzuriteProcess.StartAsync(AzuriteOptions.InMemoryOnFreePorts with { TableIndex = false }, ct);

        var answers = await Task.WhenAll(RunAsync(indexed.ConnectionString, ct), RunAsync(stock.ConnectionString, ct));

        indexed.StandardError.Should().Contain("azurite-table-index:", "the preload ran in the indexed one");
        stock.StandardError.Should().NotContain("azurite-table-index:");
        answers[0].Should().Equal(answers[1]);
        answers[0].Should().Contain(line => line.StartsWith("PartitionKey eq '10' =>", StringComparison.Ordinal) && line.Contains("10/a", StringComparison.Ordinal), "the script saw rows, not only errors");
    }

    [Fact]
    public void The_preload_is_next_to_the_program_that_starts_Azurite() =>
        File.Exists(AzuriteProcess.TableIndexScript).Should().BeTrue();

    /// <summary>Every answer as a line: rows of each filter (paged two at a time), point reads, conditional writes and their errors.</summary>
    private static async Task<List<string>> RunAsync(string connectionString, CancellationToken ct)
    {
        var table = new TableServiceClient(connectionString).GetTableClient("indexprobe");
        await table.CreateIfNotExistsAsync(ct);
        var n = 0;
        foreach (var partition in Partitions)
        {
            foreach (var row in Rows)
            {
                await table.AddEntityAsync(new TableEntity(partition, row) { ["N"] = n++ % 7 }, ct);
            }
        }

        var answers = new List<string>();
        async Task Record(string what, Func<Task<string>> act)
        {
            try
            {
                answers.Add($"{what} => {await act()}");
            }
            catch (RequestFailedException e)
            {
                answers.Add($"{what} => {e.Status} {e.ErrorCode}");
            }
        }

        foreach (var filter in Filters)
        {
            await Record(filter, async () =>
            {
                var pages = new List<string>();
                await foreach (var page in table.QueryAsync<TableEntity>(filter, maxPerPage: 2, cancellationToken: ct).AsPages())
                {
                    pages.Add(string.Join(",", page.Values.Select(e => $"{e.PartitionKey}/{e.RowKey}")));
                }
                return string.Join(" | ", pages);
            });
        }

        foreach (var (partition, row) in new[] { ("10", "a"), ("1e1", "10"), ("10.0", "1e1"), ("O'Brien", "z"), ("a", "missing"), ("missing", "a") })
        {
            await Record($"get {partition}/{row}", async () => (await table.GetEntityAsync<TableEntity>(partition, row, cancellationToken: ct)).Value.GetInt32("N")?.ToString() ?? "-");
        }

        await Record("add 10/a again", async () => (await table.AddEntityAsync(new TableEntity("10", "a"), ct)).Status.ToString());
        await Record("update 1e1/a stale", async () => (await table.UpdateEntityAsync(new TableEntity("1e1", "a") { ["N"] = 99 }, new ETag("W/\"datetime'2000-01-01T00%3A00%3A00Z'\""), TableUpdateMode.Replace, ct)).Status.ToString());
        await Record("merge 10.0/a", async () => (await table.UpdateEntityAsync(new TableEntity("10.0", "a") { ["M"] = "m" }, ETag.All, TableUpdateMode.Merge, ct)).Status.ToString());
        await Record("upsert 010/new", async () => (await table.UpsertEntityAsync(new TableEntity("010", "new"), TableUpdateMode.Replace, ct)).Status.ToString());
        await Record("delete 10/1e1", async () => (await table.DeleteEntityAsync("10", "1e1", ETag.All, ct)).Status.ToString());
        await Record("batch in 1e1", async () =>
        {
            var replies = await table.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("1e1", "new")),
                    new TableTransactionAction(TableTransactionActionType.UpdateMerge, new TableEntity("1e1", "a") { ["B"] = true }),
                    new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity("1e1", "z")),
                ], ct);
            return string.Join(",", replies.Value.Select(r => r.Status));
        });
        await Record("batch failing in 10", async () =>
        {
            var replies = await table.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("10", "new")),
                    new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("10", "a")),
                ], ct);
            return string.Join(",", replies.Value.Select(r => r.Status));
        });

        // What the writes left, all of it, in order.
        await Record("after", async () =>
        {
            var rows = new List<string>();
            await foreach (var e in table.QueryAsync<TableEntity>(cancellationToken: ct))
            {
                rows.Add($"{e.PartitionKey}/{e.RowKey}:{e.GetInt32("N")}{e.GetString("M")}{e.GetBoolean("B")}");
            }
            return string.Join(",", rows);
        });
        return answers;
    }
}
