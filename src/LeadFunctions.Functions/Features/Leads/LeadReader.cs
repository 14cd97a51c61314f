using LeadFunctions.Domain.Errors;
using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;
using LeadFunctions.Functions.Features.Merges;
using LeadFunctions.Infrastructure;
using LeadFunctions.Infrastructure.Leads;

namespace LeadFunctions.Functions.Features.Leads;

/// <summary>What the API reads of records: a page, one record, its log, its similar records.</summary>
public sealed class LeadReader(LeadStore leads, MergeRecovery merges)
{
    /// <summary>
    /// A page of records. A record held by a merge that is being written shows as the merge leaves
    /// it (like GET by id), and leaves the page if that no longer matches the filter.
    /// </summary>
    public async Task<Page<Lead>> ListAsync(LeadQuery query, int pageSize, string? continuationToken, CancellationToken ct)
    {
        if (query.Email is { } email)
        {
            query = query with { Email = EmailAddress.Normalize(email) ?? throw ValidationException.For("email", "This is not a valid email address.") };
        }
        var page = await leads.ListStoredAsync(query, pageSize, continuationToken, ct);
        var items = new List<Lead>(page.Items.Count);
        foreach (var row in page.Items)
        {
            var lead = row.MergeLock is null ? row.ToLead() : await merges.ViewAsync(row, ct);
            if (Matches(lead, query))
            {
                items.Add(lead);
            }
        }
        return new Page<Lead>(items, page.ContinuationToken);
    }

    private static bool Matches(Lead lead, LeadQuery query) =>
        (query.Status is { } status ? lead.Status == status : lead.Status != LeadStatus.Merged)
        && (query.Type is not { } type || lead.Type == type)
        && (query.TeamId is not { } teamId || lead.TeamId == teamId)
        && (query.UserId is not { } userId || lead.UserId == userId);

    public async Task<Lead> GetAsync(string id, CancellationToken ct) =>
        await merges.ViewAsync(await leads.ReadAsync(id, ct) ?? throw new NotFoundException("record", id), ct);

    /// <summary>The record as GET answers it; null when there is none.</summary>
    public async Task<Lead?> FindAsync(string id, CancellationToken ct) =>
        await leads.ReadAsync(id, ct) is { } row ? await merges.ViewAsync(row, ct) : null;

    /// <summary>One entry of the record's log (a note just added); null when there is none.</summary>
    public Task<LogEntry?> FindLogEntryAsync(string id, string entryId, CancellationToken ct) => leads.FindLogAsync(id, entryId, ct);

    public async Task<Page<LogEntry>> LogAsync(string id, int pageSize, string? continuationToken, CancellationToken ct)
    {
        await GetAsync(id, ct);
        return await leads.LogAsync(id, pageSize, continuationToken, ct);
    }

    /// <summary>The similar records: one read of the record's partition, which holds the edges ingest wrote.</summary>
    public async Task<IReadOnlyList<SimilarRecord>> SimilarAsync(string id, CancellationToken ct)
    {
        var head = await leads.ReadHeadAsync(id, ct) ?? throw new NotFoundException("record", id);
        if (head.Lead.Status == LeadStatus.Merged)
        {
            return [];
        }
        return head.Edges
            .Where(e => e.Status != LeadStatus.Merged && !head.Dismissed.Contains(e.Id))
            .OrderBy(e => e.CreatedAt)
            .ThenBy(e => e.Id, StringComparer.Ordinal)
            .ToList();
    }
}
