using Azure.Data.Tables;
using LeadFunctions.Domain.Erasure;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Directory;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Merges;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Infrastructure.Erasures;

/// <summary>
/// What an erasure round starts from. <paramref name="Records"/> are the person's own records;
/// <paramref name="Survivors"/> are other people's records that hold the person's email or phone
/// only because a merge gave it to them (cleaned, not erased); <paramref name="Customers"/> are the
/// person's own customers (deleted) and <paramref name="Companies"/> the companies made from their
/// records (kept under their name, without the person's contact details). <paramref name="Merges"/>
/// is every merge, for following their values through chains of merges.
/// </summary>
public sealed record ErasureFinding(IReadOnlyList<StoredLead> Records, IReadOnlyList<string> Survivors, IReadOnlyList<Customer> Customers, IReadOnlyList<Customer> Companies,
    IReadOnlyList<MergeRecord> Merges);

/// <summary>
/// A round's scan of the record rows as far as it got: the continuation it goes on from, the
/// records it matched before it, its page size, and where each page's progress is saved.
/// </summary>
public sealed record ErasureScan(string? From, IReadOnlyCollection<string> Found, int PageSize, Func<string, IReadOnlyList<string>, Task> SavePage);

/// <summary>
/// Finds the person's records and customers (SPEC 4.5): through the similar-record index (email,
/// mailbox alias, phone) and, for the records the index does not hold (merged records, a capture
/// not checked yet), one scan of the record rows, page by page; in the erasure's queue function,
/// never on the request path. Reads only: the scan's place is saved by the caller, after each page.
/// </summary>
public sealed class ErasureFinder(
    StorageClients clients,
    LeadStore leads,
    MatchIndex index,
    DirectoryStore directory,
    MergeStore journal,
    Domain.Matching.PhoneNumbers phones)
{
    private const int IndexLimit = 1000;

    public async Task<ErasureFinding> FindAsync(ErasureTarget target, IReadOnlyCollection<string> erased, ErasureScan scan, CancellationToken ct)
    {
        var records = new List<StoredLead>();
        var survivors = new List<string>();
        var merges = await journal.AllAsync(ct).ToListAsync(ct);
        foreach (var row in await MatchingRecordsAsync(target, erased, scan, ct))
        {
            if (await TookContactByMergeAsync(row.Id, target, merges, ct))
            {
                survivors.Add(row.Id);
            }
            else
            {
                records.Add(row);
            }
        }
        var (customers, companies) = await CustomersAsync(target, ct);
        return new ErasureFinding(records, survivors, customers, companies, merges);
    }

    /// <summary>The records whose email, alias or phone is the person's, not erased yet.</summary>
    private async Task<List<StoredLead>> MatchingRecordsAsync(ErasureTarget target, IReadOnlyCollection<string> erased, ErasureScan scan, CancellationToken ct)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in target.IndexKeys())
        {
            ids.UnionWith(await index.MembersAsync(MatchIndex.PartitionOf(key), IndexLimit, ct));
        }
        await clients.EnsureCreatedAsync();
        var found = new List<StoredLead>();
        foreach (var id in ids.Where(i => !erased.Contains(i)).Order(StringComparer.Ordinal))
        {
            if (await leads.ReadAsync(id, ct) is { } row && target.Matches(row.ToLead(), phones))
            {
                found.Add(row);
            }
        }
        // The index knows a record once its check is done: merged records leave it, and a record
        // not checked yet (a capture, a record whose check failed or is waiting for its retry)
        // is not in it. One scan of the record rows brings those, and each is matched here, on
        // the record as stored, by email, mailbox alias and phone alike (the server can compare
        // only the email column).
        var unindexed = TableClient.CreateQueryFilter($"Status eq {LeadRows.Wire(LeadStatus.Merged)} or Check ne {LeadRows.Wire(DuplicateCheckStatus.Done)}");
        var byEmail = target.Email is { } email ? " or " + TableClient.CreateQueryFilter($"Email eq {email}") : "";
        var filter = TableClient.CreateQueryFilter($"RowKey eq {StorageNames.LeadRow}") + $" and ({unindexed}{byEmail})";
        // A page at a time, its place saved after each: a round on a large tenant outlives the
        // function's timeout, and would otherwise start over every time. What the earlier pages
        // matched is kept as ids and read again here, as it is now; a record stored behind the
        // scan's place is the next round's, which scans from the start.
        var scanned = new HashSet<string>(scan.Found, StringComparer.Ordinal);
        await foreach (var page in clients.Leads.QueryAsync<TableEntity>(filter, maxPerPage: scan.PageSize, cancellationToken: ct).AsPages(scan.From))
        {
            foreach (var row in page.Values.Where(r => !erased.Contains(r.PartitionKey) && target.Matches(LeadRows.ToLead(r), phones)))
            {
                scanned.Add(row.PartitionKey);
            }
            if (page.ContinuationToken is { } next)
            {
                await scan.SavePage(next, [.. scanned.Order(StringComparer.Ordinal)]);
            }
        }
        foreach (var id in scanned.Where(i => !ids.Contains(i) && !erased.Contains(i)).Order(StringComparer.Ordinal))
        {
            if (await leads.ReadAsync(id, ct) is { } row && target.Matches(row.ToLead(), phones))
            {
                found.Add(row);
            }
        }
        return found;
    }

    /// <summary>
    /// True for another person's record that matches only through a merge: as it was before the
    /// first merge it survived, it did not match (a survivor with no email of its own takes the
    /// merged record's). Without that merge's image there is no telling: it is theirs.
    /// </summary>
    private async Task<bool> TookContactByMergeAsync(string id, ErasureTarget target, IReadOnlyList<MergeRecord> merges, CancellationToken ct) =>
        merges.Where(m => m.SurvivorId == id && m.State == MergeState.Applied).MinBy(m => m.CreatedAt) is { } first
        && (await journal.BeforeAsync(first.Id, ct)).TryGetValue(id, out var before)
        && !target.Matches(before, phones);

    /// <summary>
    /// Customers whose email or phone is the person's: a person is theirs; a company (named after
    /// the company, with the lead's contact details copied by a conversion) is cleaned, and so is
    /// the company of one of their person customers.
    /// </summary>
    private async Task<(List<Customer> Customers, List<Customer> Companies)> CustomersAsync(ErasureTarget target, CancellationToken ct)
    {
        var all = await directory.AllAsync<Customer>(ct);
        var customers = all.Where(c => c.Kind == CustomerKind.Person && target.Matches(c, phones)).ToList();
        var theirCompanies = customers.Select(c => c.CompanyId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var companies = all.Where(c => c.Kind == CustomerKind.Company && (target.Matches(c, phones) || theirCompanies.Contains(c.Id))).ToList();
        return (customers, companies);
    }
}
