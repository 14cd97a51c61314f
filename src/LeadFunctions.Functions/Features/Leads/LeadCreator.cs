using System.Text.Json.Nodes;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Access;
using LeadFunctions.Domain.Errors;
using LeadFunctions.Domain.Leads;
using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Access;
using LeadFunctions.Infrastructure.Directory;
using LeadFunctions.Infrastructure.Leads;
using Microsoft.Extensions.Logging;

namespace LeadFunctions.Functions.Features.Leads;

/// <summary>New records: one from the API or a capture, and the rows of an import (SPEC 4.1, 4.6).</summary>
public sealed class LeadCreator(LeadStore leads, LeadReferences references, DirectoryStore directory, IngestQueue queue, PhoneNumbers phones, TimeProvider clock, ILogger<LeadCreator> logger)
{
    /// <summary>Stores a new record, then queues its duplicate check by id (see <see cref="StoreNewAsync"/>).</summary>
    /// <param name="anonymous">A visitor's capture: it does not crowd a key until a person acts on it (SPEC 4.2).</param>
    public async Task<Lead> CreateAsync(LeadInput input, string origin, bool requireContact, CancellationToken ct, string? id = null, bool listNow = true,
        bool anonymous = false)
    {
        var type = await ValidateNewAsync(input, requireContact, ct);
        var now = clock.GetUtcNow();
        var lead = NewRecord(input, type, id ?? Ids.New(now), now, ActorScope.Current);
        var created = LogEntries.New(lead.Id, now, LogKind.Created, $"{(type == LeadType.Lead ? "Lead" : "Opportunity")} created ({origin}).",
            new JsonObject { ["origin"] = origin }, ActorScope.Current);
        await StoreNewAsync(lead, created, listNow, anonymous, ct);
        return lead;
    }

    /// <summary>
    /// Stores one row of an import (SPEC 4.6) under the ids fixed for it when the import started,
    /// with an imported log entry; validated again, as settings and teams may have changed since.
    /// Its check is the caller's (the import checks its rows itself, in the same execution).
    /// </summary>
    /// <param name="actor">Who started the import: its rows are stored in their name, by a queue function.</param>
    /// <returns>False when an earlier run of the same chunk stored it already.</returns>
    /// <exception cref="ValidationException">The row is no longer valid.</exception>
    public async Task<bool> ImportAsync(LeadInput input, string leadId, string entryId, string importId, int line, Actor actor, CancellationToken ct)
    {
        var type = await ValidateNewAsync(input, requireContact: false, ct);
        var now = clock.GetUtcNow();
        var lead = NewRecord(input, type, leadId, now, actor);
        var imported = LogEntries.New(leadId, now, LogKind.Imported, $"{(type == LeadType.Lead ? "Lead" : "Opportunity")} imported (line {line}).",
            new JsonObject { ["importId"] = importId, ["line"] = line }, actor);
        imported.Id = entryId;
        return await leads.InsertAsync(lead, [imported], ct, listNow: false);
    }

    /// <param name="actor">Who made it: a salesperson given with the record is their manual assignment (SPEC 11).</param>
    private static Lead NewRecord(LeadInput input, LeadType type, string id, DateTimeOffset now, Actor actor)
    {
        var lead = new Lead
        {
            Id = id,
            Status = LeadStatus.Active,
            CreatedAt = now,
            UpdatedAt = now,
            DuplicateCheck = new DuplicateCheck { Status = DuplicateCheckStatus.Pending },
        };
        input.ApplyTo(lead);
        lead.Type = type;
        lead.AssignedBy(null, now, actor);
        return lead;
    }

    /// <summary>Checks a new record's fields and references and decides its type (SPEC 4.1).</summary>
    /// <exception cref="ValidationException">Anything is wrong, with every field's messages.</exception>
    public async Task<LeadType> ValidateNewAsync(LeadInput input, bool requireContact, CancellationToken ct)
    {
        var errors = LeadValidator.Validate(input, phones, requireContact);
        if (!requireContact && new[] { input.Name, input.ContactName, input.Email, input.Phone, input.CompanyName }.All(string.IsNullOrWhiteSpace))
        {
            errors.Add("name", "Give at least a name, a contact name, a company name, an email or a phone.");
        }
        var settings = await directory.GetSettingsCachedAsync(ct);
        var team = await references.CheckAsync(input, errors, ct);
        var type = LeadTypePolicy.Decide(settings, team, input.Type, errors);
        if (!errors.IsEmpty)
        {
            throw new ValidationException(errors);
        }
        return type;
    }

    /// <summary>
    /// Stored first, then announced by id only: the message must not carry the record, since a
    /// queue message (a poisoned one above all) is where an erasure cannot reach. A process dying
    /// between the two leaves the record stored and pending, which the pending sweep lists and
    /// checks (Ingest:RecheckAfter); so does a queue that refuses the message, and the record,
    /// stored, is answered as stored rather than as a failure a client would retry into a copy.
    /// </summary>
    private async Task StoreNewAsync(Lead lead, LogEntry created, bool listNow, bool anonymous, CancellationToken ct)
    {
        if (!await leads.InsertAsync(lead, [created], ct, listNow, anonymous))
        {
            // The id was stored already (a retry of a create that chose it up front): answer it with its version.
            lead.Version = (await leads.FindAsync(lead.Id, ct))?.Version;
        }
        try
        {
            await queue.SendAsync(new CheckMessage(lead.Id, Ids.New()), ct);
        }
        catch (Azure.RequestFailedException e)
        {
            logger.LogWarning(e, "Queueing the check of record {LeadId} failed; the pending sweep checks it", lead.Id);
        }
    }
}
