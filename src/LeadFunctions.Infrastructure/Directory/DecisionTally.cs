using Azure;
using Azure.Data.Tables;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Infrastructure.Directory;

/// <summary>
/// How often each similar-record rule's pairs were merged or dismissed (observed precision), in the
/// directory table's "decisions" partition: one counts row, read in one request, and a marker row
/// per decision written in the same transaction as the counts, so that a decision taken twice (a
/// retry, a recovery finishing a merge) is counted once. A merge's marker keeps the rules it
/// counted, so that its undo takes back exactly those. Rows hold ids and rule names, nothing of a person.
/// </summary>
public sealed class DecisionTally(StorageClients clients)
{
    private const string Partition = "decisions";
    private const string CountsRow = "counts";
    private const string MarkerPrefix = "done|";
    private const string RulesColumn = "Rules";
    private const string Merged = "Merged";
    private const string Dismissed = "Dismissed";

    // Every decision of the tenant writes the one counts row: tries back off a little, so that a
    // burst of dismissals takes turns instead of spending its tries on each other.
    private const int Attempts = 12;

    private static TimeSpan Pause(int attempt) => TimeSpan.FromMilliseconds(Random.Shared.Next(5, 25) * attempt);

    private TableClient Table => clients.Directory;

    /// <summary>The pair was dismissed: each rule of its edge counts a dismissal. The pair in either order is one decision.</summary>
    /// <returns>False when there was nothing to count, or the pair was counted already.</returns>
    public Task<bool> DismissedAsync(string id, string otherId, IReadOnlyList<MatchRule> rules, CancellationToken ct) =>
        ApplyAsync($"dismissed|{Min(id, otherId)}|{Max(id, otherId)}", rules, Dismissed, +1, ct);

    /// <summary>The merge's pairs were merged: each of <paramref name="rules"/> counts a merge (a rule once per pair it flagged).</summary>
    /// <returns>False when there was nothing to count, or the merge was counted already.</returns>
    public Task<bool> MergedAsync(string mergeId, IReadOnlyList<MatchRule> rules, CancellationToken ct) =>
        ApplyAsync(MergeDecision(mergeId), rules, Merged, +1, ct);

    /// <summary>The merge was undone: what it counted is taken back.</summary>
    /// <returns>False when the merge counted nothing, or its undo was counted already.</returns>
    public async Task<bool> UndoneAsync(string mergeId, CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var marker = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, MarkerPrefix + MergeDecision(mergeId), cancellationToken: ct);
        return marker.HasValue && await ApplyAsync($"undone|{mergeId}", RulesIn(marker.Value!), Merged, -1, ct);
    }

    /// <summary>Every rule's counts, in one read.</summary>
    public async Task<ObservedPrecision> ReadAsync(CancellationToken ct)
    {
        await clients.EnsureCreatedAsync();
        var counts = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, CountsRow, cancellationToken: ct);
        return !counts.HasValue
            ? new ObservedPrecision()
            : ObservedPrecision.From(rule => new RuleDecisions(Count(counts.Value!, Merged, rule), Count(counts.Value!, Dismissed, rule)));
    }

    /// <summary>Adds <paramref name="sign"/> to the counter of each rule and marks the decision, in one transaction: both or neither.</summary>
    private async Task<bool> ApplyAsync(string decision, IReadOnlyList<MatchRule> rules, string counter, int sign, CancellationToken ct)
    {
        if (rules.Count == 0)
        {
            return false;
        }
        await clients.EnsureCreatedAsync();
        return await Retry.OnConflictAsync(async ct =>
        {
            var read = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, CountsRow, cancellationToken: ct);
            var counts = read.HasValue ? read.Value! : new TableEntity(Partition, CountsRow);
            foreach (var rule in rules)
            {
                counts[Column(counter, rule)] = Count(counts, counter, rule) + sign;
            }
            var marker = new TableEntity(Partition, MarkerPrefix + decision) { [RulesColumn] = string.Join(',', rules) };
            TableTransactionAction[] actions =
            [
                new(TableTransactionActionType.Add, marker),
                read.HasValue ? new(TableTransactionActionType.UpdateReplace, counts, counts.ETag) : new(TableTransactionActionType.Add, counts),
            ];
            try
            {
                await Table.SubmitTransactionAsync(actions, ct);
                return true;
            }
            catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex == 0 && e.Status == 409)
            {
                return false;
            }
            catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex == 1 && e.Status is 409 or 412 or 404)
            {
                throw new ConcurrencyException(CountsRow);
            }
        }, ct, Attempts, pause: Pause);
    }

    private static string MergeDecision(string mergeId) => $"merged|{mergeId}";

    private static IReadOnlyList<MatchRule> RulesIn(TableEntity marker) =>
        [.. (marker.GetString(RulesColumn) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<MatchRule>)];

    private static long Count(TableEntity counts, string counter, MatchRule rule) => counts.GetInt64(Column(counter, rule)) ?? 0;

    private static string Column(string counter, MatchRule rule) => counter + rule;

    private static string Min(string a, string b) => string.CompareOrdinal(a, b) <= 0 ? a : b;

    private static string Max(string a, string b) => string.CompareOrdinal(a, b) <= 0 ? b : a;
}
