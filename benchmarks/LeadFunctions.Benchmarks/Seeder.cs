using Azure;
using Azure.Data.Tables;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Benchmarks;

/// <summary>
/// Stored leads for the figures that need many, written straight to the tables (set-up, not what
/// is measured): each record's row as the app writes it, and its listed copies batched a hundred
/// to a transaction per list partition, made by the list projection's own code.
/// </summary>
public sealed class Seeder(string connectionString)
{
    public const int Teams = 10;
    public const int Salespeople = 20;
    private const int Block = 5_000;

    private readonly TableClient leads = new(connectionString, StorageNames.LeadsTable);
    private readonly TableClient list = new(connectionString, StorageNames.ListTable);
    private readonly List<string> ids = [];

    public IReadOnlyList<string> Ids => ids;

    private const string Digits = "0123456789ABCDEFGHJK";

    /// <summary>Well-formed ids (Crockford base32) for seeded teams and salespeople; none of them is stored: lists filter by id only.</summary>
    public static string TeamId(int n) => "01J0000000000000000000TM" + Digits[n % 20] + "0";

    public static string UserId(int n) => "01J0000000000000000000SP" + Digits[n % 20] + "0";

    public static string EmailOf(int n) => $"seed{n / 10}@seed{n / 10 % 997}.test";

    public async Task SeedToAsync(int total, CancellationToken ct)
    {
        await Task.WhenAll(leads.CreateIfNotExistsAsync(ct), list.CreateIfNotExistsAsync(ct));
        while (ids.Count < total)
        {
            var count = Math.Min(Block, total - ids.Count);
            var start = ids.Count;
            var rows = Enumerable.Range(start, count).Select(NewRow).ToList();
            var versions = new ETag[rows.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, rows.Count), new ParallelOptions { MaxDegreeOfParallelism = 48, CancellationToken = ct },
                async (i, token) => versions[i] = (await leads.AddEntityAsync(rows[i], token)).Headers.ETag ?? ETag.All);
            var copies = rows.SelectMany((row, i) => LeadList.CopiesOf(row, versions[i]))
                .GroupBy(c => c.PartitionKey)
                .SelectMany(g => g.Chunk(100))
                .ToList();
            await Parallel.ForEachAsync(copies, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = ct },
                async (batch, token) => await list.SubmitTransactionAsync(batch.Select(c => new TableTransactionAction(TableTransactionActionType.UpsertReplace, c)), token));
            ids.AddRange(rows.Select(r => r.PartitionKey));
            Console.Write($"\r  seeded {ids.Count:N0} of {total:N0} leads");
        }
        Console.WriteLine();
    }

    /// <summary>Every lead stored, seeded or made by the other figures.</summary>
    public async Task<int> CountStoredAsync(CancellationToken ct)
    {
        var count = 0;
        await foreach (var _ in leads.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey eq {StorageNames.LeadRow}"), maxPerPage: 1000, select: ["PartitionKey"], cancellationToken: ct))
        {
            count++;
        }
        return count;
    }

    private static TableEntity NewRow(int n)
    {
        var now = DateTimeOffset.UtcNow;
        var lead = new Lead
        {
            Id = LeadFunctions.Domain.Ids.New(now),
            Type = n % 10 < 7 ? LeadType.Lead : LeadType.Opportunity,
            Status = (n % 20) switch { 0 => LeadStatus.Lost, 1 => LeadStatus.Won, _ => LeadStatus.Active },
            Name = $"Seeded lead {n}",
            ContactName = $"Person {n}",
            Email = EmailOf(n),
            CompanyName = $"Seed Company {n / 10}",
            City = "Oslo",
            TeamId = TeamId(n % Teams),
            UserId = UserId(n % Salespeople),
            Tags = ["seed"],
            CreatedAt = now,
            UpdatedAt = now,
            DuplicateCheck = new DuplicateCheck { Status = DuplicateCheckStatus.Done, CheckedAt = now },
        };
        if (lead.Status == LeadStatus.Won)
        {
            lead.Type = LeadType.Opportunity;
        }
        return LeadRows.ToEntity(lead, before: null);
    }
}
