using System.Text.Json.Nodes;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Errors;
using LeadFunctions.Domain.Leads;
using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;
using LeadFunctions.Functions.Features.Merges;
using LeadFunctions.Functions.Http;
using LeadFunctions.Infrastructure;
using LeadFunctions.Infrastructure.Directory;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Functions.Features.Leads;

/// <summary>The use cases of one record: create, change, lose, restore, notes, similar records.</summary>
public sealed class LeadService(LeadStore leads, LeadUpdater updater, DirectoryStore directory, IngestQueue queue, MergeRecovery merges, PhoneNumbers phones, TimeProvider clock)
{

    /// <summary>
    /// Stores a new record. The ingest message carrying the record is sent first and the record
    /// stored second, so that a process dying in between still ends with the record stored and
    /// checked; an oversized record (rare) is stored first instead.
    /// </summary>
    public async Task<Lead> CreateAsync(LeadInput input, string origin, bool requireContact, CancellationToken ct, string? id = null, bool listNow = true)
    {
        var type = await ValidateNewAsync(input, requireContact, ct);
        var now = clock.GetUtcNow();
        var lead = NewRecord(input, type, id ?? Ids.New(now), now);
        var created = new LogEntry
        {
            Id = Ids.New(now),
            LeadId = lead.Id,
            At = now,
            Kind = LogKind.Created,
            Message = $"{(type == LeadType.Lead ? "Lead" : "Opportunity")} created ({origin}).",
            Data = new JsonObject { ["origin"] = origin },
        };
        await StoreNewAsync(lead, created, listNow, ct);
        return lead;
    }

    /// <summary>
    /// Stores one row of an import (SPEC 4.6) under the ids fixed for it when the import started,
    /// with an imported log entry; validated again, as settings and teams may have changed since.
    /// Its check is the caller's (the import checks its rows itself, in the same execution).
    /// </summary>
    /// <returns>False when an earlier run of the same chunk stored it already.</returns>
    /// <exception cref="ValidationException">The row is no longer valid.</exception>
    public async Task<bool> ImportAsync(LeadInput input, string leadId, string entryId, string importId, int line, CancellationToken ct)
    {
        var type = await ValidateNewAsync(input, requireContact: false, ct);
        var now = clock.GetUtcNow();
        var lead = NewRecord(input, type, leadId, now);
        var imported = LogEntries.New(leadId, now, LogKind.Imported, $"{(type == LeadType.Lead ? "Lead" : "Opportunity")} imported (line {line}).",
            new JsonObject { ["importId"] = importId, ["line"] = line });
        imported.Id = entryId;
        return await leads.InsertAsync(lead, [imported], ct, listNow: false);
    }

    private static Lead NewRecord(LeadInput input, LeadType type, string id, DateTimeOffset now)
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
        var team = await ReferencesAsync(input, errors, ct);
        var type = LeadTypePolicy.Decide(settings, team, input.Type, errors);
        if (!errors.IsEmpty)
        {
            throw new ValidationException(errors);
        }
        return type;
    }

    private async Task StoreNewAsync(Lead lead, LogEntry created, bool listNow, CancellationToken ct)
    {
        var message = new CheckMessage(lead.Id, Ids.New(), lead, [created]);
        if (await queue.TrySendAsync(message, ct))
        {
            if (!await leads.InsertAsync(lead, [created], ct, listNow))
            {
                // Ingest was quicker and stored it from the message.
                lead.Version = (await leads.FindAsync(lead.Id, ct))?.Version;
            }
            return;
        }
        await leads.InsertAsync(lead, [created], ct, listNow);
        await queue.SendAsync(message with { Snapshot = null, SnapshotLog = null }, ct);
    }

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

    /// <summary>JSON merge patch (RFC 7396) of the writable fields; If-Match is honoured.</summary>
    public async Task<Lead> PatchAsync(string id, MergePatch patch, string? ifMatch, CancellationToken ct)
    {
        var readOnly = patch.FieldNames.Where(k => LeadFields.ReadOnly.Contains(k)).ToList();
        if (readOnly.Count > 0)
        {
            var errors = new ValidationErrors();
            readOnly.ForEach(f => errors.Add(f, "This field cannot be changed with PATCH."));
            throw new ValidationException(errors);
        }
        return await updater.ChangeAsync(id, ifMatch, async (lead, now) =>
        {
            var input = JsonInput.Deserialize<LeadInput>(patch.ApplyTo(lead.Writable()));
            var errors = LeadValidator.Validate(input, phones, requireContact: false);
            await ReferencesAsync(input, errors, ct);
            if (!errors.IsEmpty)
            {
                throw new ValidationException(errors);
            }
            return lead.Edit(input, now);
        }, ct);
    }

    public Task<Lead> LoseAsync(string id, string? reason, CancellationToken ct)
    {
        if (reason is { Length: > LeadValidator.MaxTextLength } || (reason ?? "").Any(char.IsControl))
        {
            throw ValidationException.For("reason", $"The reason must be at most {LeadValidator.MaxTextLength} characters, without control characters.");
        }
        return updater.ChangeAsync(id, null, (lead, now) => Task.FromResult<LeadChange?>(lead.Lose(reason, now)), ct);
    }

    public Task<Lead> WinAsync(string id, CancellationToken ct) =>
        updater.ChangeAsync(id, null, (lead, now) => Task.FromResult<LeadChange?>(lead.Win(now)), ct);

    public Task<Lead> RestoreAsync(string id, CancellationToken ct) =>
        updater.ChangeAsync(id, null, (lead, now) => Task.FromResult<LeadChange?>(lead.Restore(now)), ct);

    public async Task<LogEntry> AddNoteAsync(string id, string? message, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(message) || message.Length > LeadValidator.MaxDescriptionLength
            || message.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            throw ValidationException.For("message", $"A note needs 1 to {LeadValidator.MaxDescriptionLength} characters, without control characters.");
        }
        return await Retry.OnConflictAsync(async ct =>
        {
            var row = await updater.ReadFreeAsync(id, ct);
            var lead = row.ToLead().ThrowIfMerged();
            var entry = LogEntries.New(lead.Id, clock.GetUtcNow(), LogKind.Note, message, null);
            // Conditional on the record's version, so that a merge taking the record's log
            // meanwhile either sees this note or makes it try again.
            await leads.AddLogAsync(entry, row, ct);
            return entry;
        }, ct);
    }

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

    /// <summary>Marks a pair "not a duplicate": it no longer counts for either record.</summary>
    public async Task DismissAsync(string id, string otherId, CancellationToken ct)
    {
        if (id == otherId)
        {
            throw ValidationException.For("otherId", "A record is never similar to itself.");
        }
        var pair = await Task.WhenAll(leads.FindAsync(id, ct), leads.FindAsync(otherId, ct));
        (pair[0] ?? throw new NotFoundException("record", id)).ThrowIfMerged();
        (pair[1] ?? throw new NotFoundException("record", otherId)).ThrowIfMerged();
        await leads.DismissAsync(id, otherId, ct);
        // Both records' duplicateCheck stop counting the pair.
        await queue.CheckAsync([id, otherId], ct);
    }

    /// <summary>Checks that the team, salesperson and customer named exist; returns the team.</summary>
    private async Task<Team?> ReferencesAsync(LeadInput input, ValidationErrors errors, CancellationToken ct)
    {
        Team? team = null;
        if (input.TeamId is { } teamId && !errors.Contains("teamId"))
        {
            team = await directory.FindTeamCachedAsync(teamId, ct);
            if (team is null)
            {
                errors.Add("teamId", "No team has this id.");
            }
        }
        if (input.UserId is { } userId && !errors.Contains("userId") && await directory.FindAsync<Salesperson>(userId, ct) is null)
        {
            errors.Add("userId", "No salesperson has this id.");
        }
        if (input.CustomerId is { } customerId && !errors.Contains("customerId") && await directory.FindAsync<Customer>(customerId, ct) is null)
        {
            errors.Add("customerId", "No customer has this id.");
        }
        return team;
    }
}
