using System.Text.Json;
using System.Text.Json.Nodes;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Conversion;
using LeadFunctions.Domain.Errors;
using LeadFunctions.Domain.Leads;
using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;
using LeadFunctions.Functions.Features.Directory;
using LeadFunctions.Functions.Features.Leads;
using LeadFunctions.Functions.Features.Merges;
using LeadFunctions.Infrastructure.Directory;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Functions.Features.Conversion;

/// <summary>
/// Conversion of leads into opportunities (SPEC 4.3): the dialog's defaults, one conversion
/// (convert, or merge then convert), and bulk conversion. A conversion that creates customers first
/// writes their ids on the lead (its intent), so that a retry after a crash creates the same
/// customers, never new ones, and then finishes.
/// </summary>
public sealed class ConversionService(
    LeadService leadService,
    LeadUpdater updater,
    LeadStore leads,
    DirectoryStore directory,
    DirectoryService directoryService,
    MergeService merges,
    IngestQueue queue,
    WriteFaults faults,
    TimeProvider clock)
{
    public async Task<ConversionProposal> DefaultsAsync(string id, CancellationToken ct)
    {
        var lead = await leadService.GetAsync(id, ct);
        ConversionGuard.EnsureConvertible(lead);
        var similar = await leadService.SimilarAsync(id, ct);
        return await ProposeAsync(lead, similar, ConversionDefaults.DefaultMergeWith(similar), ct);
    }

    public async Task<ConversionResult> ConvertAsync(string id, ConvertRequest request, CancellationToken ct)
    {
        var row = await updater.ReadFreeAsync(id, ct);
        if (await ResumeAsync(row, ct) is { } resumed)
        {
            return resumed;
        }
        var lead = row.ToLead();
        ConversionGuard.EnsureConvertible(lead);
        await ValidateAssignmentAsync(request.UserId, request.TeamId, ct);
        var similar = await leadService.SimilarAsync(id, ct);
        var duplicates = ConversionDefaults.DefaultMergeWith(similar);
        var action = request.Action ?? (duplicates.Count > 0 ? ConversionAction.Merge : ConversionAction.Convert);
        var mergeWith = action == ConversionAction.Merge
            ? (request.MergeWith ?? [.. duplicates]).Where(m => m != id).Distinct().ToList()
            : [];
        var choice = request.Customer?.Mode is null
            ? (await ProposeAsync(lead, similar, mergeWith, ct)).Customer
            : await CustomerChoiceAsync(request.Customer, ct);
        if (mergeWith.Count == 0)
        {
            return await ConvertRecordAsync(id, choice, request.UserId, request.TeamId, afterMerge: false, ct);
        }
        return await MergeThenConvertAsync(row, new PendingConversion(choice, request.UserId, request.TeamId, mergeWith), ct);
    }

    /// <summary>
    /// The merge, then the conversion of what it leaves. The request is written on the record
    /// first, so that a retry after a crash between the two finishes the conversion.
    /// </summary>
    private async Task<ConversionResult> MergeThenConvertAsync(StoredLead row, PendingConversion pending, CancellationToken ct)
    {
        var id = row.Id;
        await MarkPendingAsync(row, pending, ct);
        Merges.MergeResponse merge;
        try
        {
            merge = await merges.MergeAsync([id, .. pending.MergeWith], new Domain.Merging.MergeOptions(), dryRun: false, ct);
        }
        catch (Exception e) when (e is ValidationException or NotFoundException or ConflictException)
        {
            await ClearPendingAsync(id, null, ct);
            throw;
        }
        var result = await ConvertRecordAsync(merge.SurvivorId, pending.Choice, pending.UserId, pending.TeamId, afterMerge: true, ct);
        await ClearPendingAsync(id, merge.SurvivorId, ct);
        return result with { MergeId = merge.MergeId };
    }

    /// <summary>
    /// Finishes a merge-then-convert whose process died after merging: the record was merged
    /// (into the record to convert) or kept records merged into it. Null when there is nothing to
    /// finish; a merge that never happened leaves nothing either, and its mark is dropped.
    /// </summary>
    internal async Task<ConversionResult?> ResumeAsync(StoredLead row, CancellationToken ct)
    {
        if (row.PendingConversion is not { } pending)
        {
            return null;
        }
        var id = row.Id;
        var lead = row.ToLead();
        var targetId = lead.Status == LeadStatus.Merged ? await SurvivorOfAsync(lead, ct) : null;
        if (targetId is null && lead.Status != LeadStatus.Merged)
        {
            foreach (var other in pending.MergeWith)
            {
                if (await leads.FindAsync(other, ct) is { Status: LeadStatus.Merged } absorbed && absorbed.MergedInto == id)
                {
                    targetId = id;
                    break;
                }
            }
        }
        if (targetId is null)
        {
            await ClearPendingAsync(id, null, ct);
            return null;
        }
        var result = await ConvertRecordAsync(targetId, pending.Choice, pending.UserId, pending.TeamId, afterMerge: true, ct);
        await ClearPendingAsync(id, targetId, ct);
        return result;
    }

    private async Task<string?> SurvivorOfAsync(Lead lead, CancellationToken ct)
    {
        for (var hops = 0; hops < 10 && lead.Status == LeadStatus.Merged && lead.MergedInto is { } next; hops++)
        {
            lead = await leads.FindAsync(next, ct) ?? throw new NotFoundException("record", next);
        }
        return lead.Status == LeadStatus.Merged ? null : lead.Id;
    }

    /// <summary>Marks the record (as it is now: a duplicate check may have touched it since it was read).</summary>
    internal async Task MarkPendingAsync(StoredLead row, PendingConversion pending, CancellationToken ct) =>
        await Retry.OnConflictAsync(async ct =>
        {
            var current = await updater.ReadFreeAsync(row.Id, ct);
            ConversionGuard.EnsureConvertible(current.ToLead());
            await leads.SetPendingConversionAsync(current, pending, ct);
            await faults.AfterWriteAsync("conversion pending");
        }, ct);

    /// <summary>Drops the mark once the conversion is done (the converted record's own mark went with its final write).</summary>
    internal async Task ClearPendingAsync(string id, string? convertedId, CancellationToken ct)
    {
        if (id == convertedId)
        {
            return;
        }
        try
        {
            await Retry.OnConflictAsync(async ct =>
            {
                var row = await leads.ReadAsync(id, ct);
                if (row?.PendingConversion is null)
                {
                    return;
                }
                await leads.SetPendingConversionAsync(row, null, ct);
            }, ct);
        }
        catch (ConcurrencyException)
        {
            // Still changing after every try: the mark stays, as it would after a crash here.
        }
    }

    /// <summary>The defaults, with the customer choice made for what a merge would leave.</summary>
    private async Task<ConversionProposal> ProposeAsync(Lead lead, IReadOnlyList<SimilarRecord> similar, IReadOnlyList<string> mergeWith, CancellationToken ct)
    {
        Lead? result = null;
        if (mergeWith.Count > 0)
        {
            try
            {
                result = (await merges.MergeAsync([lead.Id, .. mergeWith], new Domain.Merging.MergeOptions(), dryRun: true, ct)).Lead;
            }
            catch (Exception e) when (e is ValidationException or NotFoundException or ConflictException)
            {
                // The similar list can lag behind a merge: the defaults stay those of the lead itself.
            }
        }
        return ConversionDefaults.Propose(lead, similar, await SuggestedCustomerAsync(result ?? lead, ct), result);
    }

    /// <summary>
    /// Converts one record: customers (from the intent when a first attempt left one), then the
    /// record itself (opportunity, converted, customer, salesperson and team, active) with its
    /// "converted" entry, conditional on its version.
    /// </summary>
    internal async Task<ConversionResult> ConvertRecordAsync(string id, CustomerChoice choice, string? userId, string? teamId, bool afterMerge, CancellationToken ct)
    {
        // Only a salesperson given without a team needs the teams (the first one they belong to).
        List<Team> teams = userId is not null && teamId is null
            ? await directory.TeamsByCreationAsync(ct)
            : [];
        // Changed meanwhile (a duplicate check): start again from the record as it is; an
        // intent an earlier try wrote is found and reused.
        return await Retry.OnConflictAsync(async ct =>
        {
            var row = await updater.ReadFreeAsync(id, ct);
            var lead = row.ToLead();
            if (!afterMerge)
            {
                ConversionGuard.EnsureConvertible(lead);
            }
            else
            {
                lead.ThrowIfMerged();
            }
            var now = clock.GetUtcNow();
            Customer? customer = null;
            var created = new List<Customer>();
            switch (choice.Mode)
            {
                // A record that has a customer keeps it: create makes none for it (SPEC 4.3).
                case CustomerMode.Create when lead.CustomerId is null:
                    created = row.ConversionIntent ?? [.. CustomerPlan.ForLead(lead, () => Ids.New(), now)];
                    if (created.Count == 0)
                    {
                        throw ValidationException.For("customer.mode", "The lead has no company, contact, email or name to create a customer from.");
                    }
                    if (row.ConversionIntent is null)
                    {
                        row = await leads.SetConversionIntentAsync(row, created, ct);
                        await faults.AfterWriteAsync("conversion intent");
                    }
                    foreach (var planned in created)
                    {
                        await directoryService.InsertCustomerOnceAsync(planned, ct);
                        await faults.AfterWriteAsync("customer " + planned.Id);
                    }
                    customer = created.Single(c => c.Id == CustomerPlan.LinkTarget(created));
                    break;
                case CustomerMode.Link when !afterMerge || lead.CustomerId is null:
                    customer = await directory.FindAsync<Customer>(choice.CustomerId!, ct);
                    break;
                default:
                    customer = lead.CustomerId is { } existing ? await directory.FindAsync<Customer>(existing, ct) : null;
                    break;
            }

            var (assignedUser, assignedTeam) = Assignment.Resolve(lead, userId, teamId, teams);
            var wasLead = lead.Type == LeadType.Lead;
            lead.Type = LeadType.Opportunity;
            lead.ConvertedAt ??= now;
            lead.Status = LeadStatus.Active;
            lead.LostReason = null;
            lead.CustomerId = customer?.Id ?? lead.CustomerId;
            lead.UserId = assignedUser;
            lead.TeamId = assignedTeam;
            lead.UpdatedAt = now;
            var entry = LogEntries.New(id, now, LogKind.Converted,
                wasLead ? "Converted into an opportunity." : "Completed as an opportunity after a merge.",
                new JsonObject
                {
                    ["customerId"] = lead.CustomerId,
                    ["createdCustomerIds"] = new JsonArray(created.Select(c => (JsonNode)JsonValue.Create(c.Id)).ToArray()),
                    ["userId"] = lead.UserId,
                    ["teamId"] = lead.TeamId,
                });
            // Announced before the write (like every change of a record's similar records).
            await queue.AnnounceChangeAsync(id, row.Version, ct);
            await leads.UpdateAsync(lead, row, [entry], ct, clearIntent: true);
            await faults.AfterWriteAsync("convert " + id);
            return new ConversionResult(lead, customer, null);
        }, ct);
    }

    private async Task<CustomerChoice> CustomerChoiceAsync(CustomerRequest request, CancellationToken ct)
    {
        switch (request.Mode)
        {
            case CustomerMode.Link:
                if (request.CustomerId is not { Length: > 0 } customerId)
                {
                    throw ValidationException.For("customer.customerId", "Linking needs the customer's id.");
                }
                if (await directory.FindAsync<Customer>(customerId, ct) is null)
                {
                    throw ValidationException.For("customer.customerId", "No customer has this id.");
                }
                return CustomerChoice.Link(customerId);
            case CustomerMode.Create:
                return CustomerChoice.Create;
            default:
                return CustomerChoice.None;
        }
    }

    private async Task ValidateAssignmentAsync(string? userId, string? teamId, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (userId is not null && await directory.FindAsync<Salesperson>(userId, ct) is null)
        {
            errors.Add("userId", "No salesperson has this id.");
        }
        if (teamId is not null && await directory.FindTeamCachedAsync(teamId, ct) is null)
        {
            errors.Add("teamId", "No team has this id.");
        }
        if (!errors.IsEmpty)
        {
            throw new ValidationException(errors);
        }
    }

    internal async Task<Customer?> SuggestedCustomerAsync(Lead lead, CancellationToken ct) =>
        EmailAddress.Normalize(lead.Email) is { } email
            ? ConversionDefaults.SuggestCustomer(lead, await directoryService.CustomersByEmailAsync(email, ct))
            : null;

}
