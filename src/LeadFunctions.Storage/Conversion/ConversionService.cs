using System.Text.Json;
using System.Text.Json.Nodes;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Conversion;
using LeadFunctions.Domain.Errors;
using LeadFunctions.Domain.Leads;
using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;
using LeadFunctions.Storage.Merging;

namespace LeadFunctions.Storage.Conversion;

/// <summary>
/// Conversion of leads into opportunities (SPEC 4.3): the dialog's defaults, one conversion
/// (convert, or merge then convert), and bulk conversion. A conversion that creates customers first
/// writes their ids on the lead (its intent), so that a retry after a crash creates the same
/// customers, never new ones, and then finishes.
/// </summary>
public sealed class ConversionService(
    LeadService leadService,
    LeadStore leads,
    DirectoryStore directory,
    DirectoryService directoryService,
    MergeService merges,
    IngestQueue queue,
    WriteFaults faults,
    TimeProvider clock)
{
    private const int MaxAttempts = 5;

    public async Task<ConversionProposal> DefaultsAsync(string id, CancellationToken ct)
    {
        var lead = await leadService.GetAsync(id, ct);
        ConversionGuard.EnsureConvertible(lead);
        return ConversionDefaults.Propose(lead, await leadService.SimilarAsync(id, ct), await SuggestedCustomerAsync(lead, ct));
    }

    public async Task<ConversionResult> ConvertAsync(string id, ConvertRequest request, CancellationToken ct)
    {
        var lead = await leadService.GetAsync(id, ct);
        if (request.Action == ConversionAction.Merge && lead.Status == LeadStatus.Merged && lead.MergedInto is { } survivorId)
        {
            // A retry of a merge-and-convert whose first attempt died after merging: finish on the survivor.
            return await ConvertRecordAsync(survivorId, await CustomerChoiceAsync(request, lead, ct), request.UserId, request.TeamId, afterMerge: true, ct);
        }
        ConversionGuard.EnsureConvertible(lead);
        var similar = await leadService.SimilarAsync(id, ct);
        var proposal = ConversionDefaults.Propose(lead, similar, await SuggestedCustomerAsync(lead, ct));
        var choice = request.Customer?.Mode is null ? proposal.Customer : await CustomerChoiceAsync(request, lead, ct);
        await ValidateAssignmentAsync(request.UserId, request.TeamId, ct);

        var action = request.Action ?? proposal.Action;
        if (action == ConversionAction.Merge)
        {
            var mergeWith = (request.MergeWith ?? [.. ConversionDefaults.DefaultMergeWith(similar)]).Where(m => m != id).Distinct().ToList();
            if (mergeWith.Count > 0)
            {
                var merge = await merges.MergeAsync([id, .. mergeWith], new Domain.Merging.MergeOptions(), dryRun: false, ct);
                var result = await ConvertRecordAsync(merge.SurvivorId, choice, request.UserId, request.TeamId, afterMerge: true, ct);
                return result with { MergeId = merge.MergeId };
            }
        }
        return await ConvertRecordAsync(id, choice, request.UserId, request.TeamId, afterMerge: false, ct);
    }

    /// <summary>Up to 100 leads, one result each; one failure never stops the others.</summary>
    public async Task<IReadOnlyList<BulkConvertResult>> ConvertManyAsync(BulkConvertRequest request, CancellationToken ct)
    {
        var ids = request.LeadIds ?? [];
        var errors = BulkConversion.ValidateIds(ids);
        foreach (var userId in request.UserIds ?? [])
        {
            if (await directory.FindAsync<Salesperson>(userId, ct) is null)
            {
                errors.Add("userIds", $"No salesperson has the id '{Shorten(userId)}'.");
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
        var results = new List<BulkConvertResult>(ids.Count);
        foreach (var id in ids)
        {
            var tookTurn = false;
            try
            {
                var lead = await leadService.GetAsync(id, ct);
                ConversionGuard.EnsureConvertible(lead);
                var before = roundRobin.TurnsTaken;
                var userId = roundRobin.Next(lead);
                tookTurn = roundRobin.TurnsTaken > before;
                var targetId = id;
                var merged = false;
                if (request.Deduplicate == true)
                {
                    var sameEmail = (await leadService.SimilarAsync(id, ct))
                        .Where(s => s.MatchedOn.Contains(MatchRule.Email) && ConversionDefaults.IsDuplicate(s))
                        .Select(s => s.Id).ToList();
                    if (sameEmail.Count > 0)
                    {
                        targetId = (await merges.MergeAsync([id, .. sameEmail], new Domain.Merging.MergeOptions(), dryRun: false, ct)).SurvivorId;
                        merged = true;
                    }
                }
                var choice = BulkConversion.CustomerFor(request.CustomerMode ?? BulkCustomerMode.Auto, await SuggestedCustomerAsync(lead, ct));
                var result = await ConvertRecordAsync(targetId, choice, userId, request.TeamId, merged, ct);
                results.Add(new BulkConvertResult(id, "converted", result.Lead.Id));
            }
            catch (Exception e) when (e is ValidationException or NotFoundException or ConflictException or PreconditionFailedException
                or ConcurrencyException or RecordTooLargeException)
            {
                if (tookTurn)
                {
                    // A lead that fails takes no turn: the next one gets this salesperson.
                    roundRobin.GiveBack();
                }
                results.Add(new BulkConvertResult(id, "failed", Error: e.Message));
            }
        }
        return results;
    }

    /// <summary>
    /// Converts one record: customers (from the intent when a first attempt left one), then the
    /// record itself (opportunity, converted, customer, salesperson and team, active) with its
    /// "converted" entry, conditional on its version.
    /// </summary>
    private async Task<ConversionResult> ConvertRecordAsync(string id, CustomerChoice choice, string? userId, string? teamId, bool afterMerge, CancellationToken ct)
    {
        var teams = (await directory.AllAsync<Team>(ct)).OrderBy(t => t.CreatedAt).ThenBy(t => t.Id, StringComparer.Ordinal).ToList();
        for (var attempt = 1; ; attempt++)
        {
            var row = await leadService.ReadFreeAsync(id, ct);
            var lead = LeadRows.ToLead(row);
            if (!afterMerge)
            {
                ConversionGuard.EnsureConvertible(lead);
            }
            else if (lead.Status == LeadStatus.Merged)
            {
                throw new ConflictException($"The record was merged into {lead.MergedInto}.", lead.MergedInto);
            }
            var etag = row.ETag;
            var now = clock.GetUtcNow();
            Customer? customer = null;
            var created = new List<Customer>();
            switch (choice.Mode)
            {
                case CustomerMode.Create when !afterMerge || lead.CustomerId is null:
                    created = Intent(row) ?? [.. CustomerPlan.ForLead(lead, () => Ids.New(), now)];
                    if (created.Count == 0)
                    {
                        throw ValidationException.For("customer.mode", "The lead has no company, contact, email or name to create a customer from.");
                    }
                    if (Intent(row) is null)
                    {
                        etag = await leads.SetColumnAsync(id, LeadRows.ConversionIntentColumn, JsonRow.Serialize(created), etag, ct);
                        await faults.AfterWriteAsync("conversion intent");
                    }
                    foreach (var planned in created)
                    {
                        await directoryService.InsertCustomerOnceAsync(planned, ct);
                        await faults.AfterWriteAsync("customer " + planned.Id);
                    }
                    customer = created.Single(c => c.Id == CustomerPlan.LinkTarget(created));
                    break;
                case CustomerMode.Link:
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
            var entry = LeadService.Entry(id, now, LogKind.Converted,
                wasLead ? "Converted into an opportunity." : "Completed as an opportunity after a merge.",
                new JsonObject
                {
                    ["customerId"] = lead.CustomerId,
                    ["createdCustomerIds"] = new JsonArray(created.Select(c => (JsonNode)JsonValue.Create(c.Id)).ToArray()),
                    ["userId"] = lead.UserId,
                    ["teamId"] = lead.TeamId,
                });
            // Announced before the write (like every change of a record's similar records).
            await queue.SendAsync(new IngestMessage(id, Ids.New(), BasedOn: etag.ToString()), ct);
            try
            {
                await leads.UpdateAsync(lead, etag, [entry], ct, clearIntent: true);
                await faults.AfterWriteAsync("convert " + id);
                return new ConversionResult(lead, customer, null);
            }
            catch (ConcurrencyException) when (attempt < MaxAttempts)
            {
                // Changed meanwhile (a duplicate check): start again from the record as it is; an
                // intent written above is found and reused.
            }
        }
    }

    private static List<Customer>? Intent(Azure.Data.Tables.TableEntity row) =>
        row.GetString(LeadRows.ConversionIntentColumn) is { Length: > 0 } json
            ? JsonSerializer.Deserialize<List<Customer>>(json, JsonRow.StorageOptions)
            : null;

    private async Task<CustomerChoice> CustomerChoiceAsync(ConvertRequest request, Lead lead, CancellationToken ct)
    {
        switch (request.Customer?.Mode)
        {
            case CustomerMode.Link:
                if (request.Customer.CustomerId is not { Length: > 0 } customerId)
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
            case CustomerMode.None:
                return CustomerChoice.None;
            default:
                return ConversionDefaults.Propose(lead, [], await SuggestedCustomerAsync(lead, ct)).Customer;
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

    private async Task<Customer?> SuggestedCustomerAsync(Lead lead, CancellationToken ct) =>
        EmailAddress.Normalize(lead.Email) is { } email
            ? ConversionDefaults.SuggestCustomer(lead, await directoryService.CustomersByEmailAsync(email, ct))
            : null;

    private static string Shorten(string id) => id.Length > 40 ? id[..40] + "…" : id;
}
