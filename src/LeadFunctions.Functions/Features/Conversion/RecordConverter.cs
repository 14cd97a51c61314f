using System.Text.Json.Nodes;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Access;
using LeadFunctions.Domain.Conversion;
using LeadFunctions.Domain.Errors;
using LeadFunctions.Domain.Model;
using LeadFunctions.Functions.Features.Directory;
using LeadFunctions.Functions.Features.Leads;
using LeadFunctions.Infrastructure.Directory;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Functions.Features.Conversion;

/// <summary>
/// Converts one record. A conversion that creates customers first writes their ids on the lead
/// (its intent), so that a retry after a crash creates the same customers, never new ones.
/// </summary>
public sealed class RecordConverter(
    LeadUpdater updater,
    LeadStore leads,
    DirectoryStore directory,
    DirectoryService directoryService,
    IngestQueue queue,
    WriteFaults faults,
    TimeProvider clock)
{
    /// <summary>
    /// Converts one record: customers (from the intent when a first attempt left one), then the
    /// record itself (opportunity, converted, customer, salesperson and team, active) with its
    /// "converted" entry, conditional on its version.
    /// </summary>
    /// <param name="actor">Who asked for the conversion (a retry that finishes it writes in their name).</param>
    public async Task<ConversionResult> ConvertAsync(string id, CustomerChoice choice, string? userId, string? teamId, bool afterMerge, Actor actor, CancellationToken ct)
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
            var owner = lead.UserId;
            lead.UserId = assignedUser;
            lead.TeamId = assignedTeam;
            lead.UpdatedAt = now;
            lead.AssignedBy(owner, now, actor);
            lead.RespondedBy(actor, now);
            var entry = LogEntries.New(id, now, LogKind.Converted,
                wasLead ? "Converted into an opportunity." : "Completed as an opportunity after a merge.",
                new JsonObject
                {
                    ["customerId"] = lead.CustomerId,
                    ["createdCustomerIds"] = new JsonArray(created.Select(c => (JsonNode)JsonValue.Create(c.Id)).ToArray()),
                    ["userId"] = lead.UserId,
                    ["teamId"] = lead.TeamId,
                }, actor);
            // Announced before the write (like every change of a record's similar records).
            await queue.AnnounceChangeAsync(id, row.Version, ct);
            await leads.UpdateAsync(lead, row, [entry], ct, clearIntent: true);
            await faults.AfterWriteAsync("convert " + id);
            return new ConversionResult(lead, customer, null);
        }, ct);
    }
}
