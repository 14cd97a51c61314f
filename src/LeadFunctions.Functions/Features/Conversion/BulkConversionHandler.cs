using LeadFunctions.Domain.Conversion;
using LeadFunctions.Domain.Errors;
using LeadFunctions.Domain.Model;
using LeadFunctions.Functions.Features.Leads;
using LeadFunctions.Functions.Features.Merges;
using LeadFunctions.Infrastructure.Access;
using LeadFunctions.Infrastructure.Directory;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Functions.Features.Conversion;

/// <summary>
/// POST /conversions: leads converted one after the other, each as a single conversion would
/// (and resumed the same way after a crash), with salespeople taking turns.
/// </summary>
public sealed class BulkConversionHandler(ConversionProposals proposals, PendingConversions pendings, RecordConverter converter, LeadReader records, LeadUpdater updater, DirectoryStore directory, MergeService merges)
{
    /// <summary>Up to 100 leads, one result each; one failure never stops the others.</summary>
    public async Task<IReadOnlyList<BulkConvertResult>> ConvertAsync(BulkConvertRequest request, CancellationToken ct)
    {
        var ids = request.LeadIds ?? [];
        var errors = BulkConversion.ValidateIds(ids);
        foreach (var userId in request.UserIds ?? [])
        {
            if (string.IsNullOrWhiteSpace(userId) || await directory.FindAsync<Salesperson>(userId, ct) is null)
            {
                errors.Add("userIds", $"No salesperson has the id '{Shorten(userId ?? "")}'.");
            }
        }
        if (request.TeamId is { } teamId && await directory.FindTeamCachedAsync(teamId, ct) is null)
        {
            errors.Add("teamId", "No team has this id.");
        }
        if (!errors.IsEmpty)
        {
            throw new ValidationException(errors);
        }

        var roundRobin = new RoundRobin(request.UserIds ?? [], request.ForceAssignment == true);
        var converted = new Dictionary<string, string>(StringComparer.Ordinal);
        var results = new List<BulkConvertResult>(ids.Count);
        foreach (var id in ids)
        {
            var tookTurn = false;
            try
            {
                var row = await updater.ReadFreeAsync(id, ct);
                var lead = row.ToLead();
                if (lead.MergedInto is { } into && converted.TryGetValue(into, out var opportunity))
                {
                    // Merged away by an earlier lead of this same request: converted with it.
                    results.Add(new BulkConvertResult(id, "converted", opportunity));
                    continue;
                }
                var result = await pendings.ResumeAsync(row, ct);
                if (result is null)
                {
                    ConversionGuard.EnsureConvertible(lead);
                    var choice = BulkConversion.CustomerFor(request.CustomerMode ?? BulkCustomerMode.Auto, await proposals.SuggestedCustomerAsync(lead, ct), lead.CustomerId);
                    var targetId = id;
                    var sameEmail = request.Deduplicate == true
                        ? (await records.SimilarAsync(id, ct)).Where(s => s.MatchedOn.Contains(MatchRule.Email) && ConversionDefaults.IsDuplicate(s)).Select(s => s.Id).ToList()
                        : [];
                    if (sameEmail.Count > 0)
                    {
                        await pendings.MarkAsync(row, new PendingConversion(choice, null, request.TeamId, sameEmail, ActorScope.Current), ct);
                        targetId = (await merges.MergeAsync([id, .. sameEmail], new Domain.Merging.MergeOptions(), dryRun: false, ct)).SurvivorId;
                    }
                    // The turn goes to the record that is converted (the merge's survivor may have a salesperson already).
                    var target = await records.GetAsync(targetId, ct);
                    var before = roundRobin.TurnsTaken;
                    var next = roundRobin.Next(target);
                    tookTurn = roundRobin.TurnsTaken > before;
                    result = await converter.ConvertAsync(targetId, choice, tookTurn ? next : null, request.TeamId, afterMerge: sameEmail.Count > 0, ActorScope.Current, ct);
                    await pendings.ClearAsync(id, targetId, ct);
                }
                converted[result.Lead.Id] = result.Lead.Id;
                converted[id] = result.Lead.Id;
                results.Add(new BulkConvertResult(id, "converted", result.Lead.Id));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                if (tookTurn)
                {
                    // A lead that fails takes no turn: the next one gets this salesperson.
                    roundRobin.GiveBack();
                }
                var known = e is ValidationException or NotFoundException or ConflictException or PreconditionFailedException
                    or ConcurrencyException or RecordTooLargeException;
                results.Add(new BulkConvertResult(id, "failed", Error: known ? e.Message : "The conversion failed on our side; try this lead again."));
            }
        }
        return results;
    }

    private static string Shorten(string id) => id.Length > 40 ? id[..40] + "…" : id;
}
