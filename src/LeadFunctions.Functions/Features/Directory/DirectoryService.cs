using System.Text.Json;
using System.Text.Json.Nodes;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Errors;
using LeadFunctions.Domain.Leads;
using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;
using LeadFunctions.Domain.Routing;
using LeadFunctions.Functions.Http;
using LeadFunctions.Infrastructure.Directory;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Functions.Features.Directory;

/// <summary>Teams, salespeople, customers and settings: the records leads refer to.</summary>
public sealed class DirectoryService(DirectoryStore store, MatchIndex index, IngestQueue queue, PhoneNumbers phones, WriteFaults faults, TimeProvider clock)
{
    public Task<Team> CreateTeamAsync(Team team, string id, CancellationToken ct) => CreateAsync(team, id, t => ValidateTeamAsync(t, ct), ct);

    public Task<Team> PatchTeamAsync(string id, MergePatch patch, CancellationToken ct) => PatchAsync<Team>(id, patch, t => ValidateTeamAsync(t, ct), ct);

    /// <summary>The most records a salesperson's capacity may name per 30 days.</summary>
    public const int MaxCapacity = 100_000;

    /// <summary>
    /// Replaces a team (its rules, members and respond settings) and sets its members' capacity in
    /// the same request (SPEC 11): <paramref name="capacities"/> names members only, each checked
    /// before anything is written.
    /// </summary>
    public async Task<Team> PutTeamAsync(string id, Team team, IReadOnlyDictionary<string, int> capacities, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        foreach (var (member, capacity) in capacities)
        {
            // Routing gives records to members only: a leader's capacity would be a number with no effect.
            if (!team.MemberIds.Contains(member))
            {
                errors.Add($"capacity.{Trim(member)}", "This is not a member of the team.");
            }
            else if (capacity is < 0 or > MaxCapacity)
            {
                errors.Add($"capacity.{Trim(member)}", $"Records per 30 days, from 0 (no limit) to {MaxCapacity}.");
            }
        }
        Throw(errors);
        var body = JsonSerializer.SerializeToNode(team, JsonDefaults.Options)!.AsObject();
        body.Remove("id");
        body.Remove("createdAt");
        // A PUT is a patch that names every field: what it leaves out takes the default.
        var replaced = await PatchAsync<Team>(id, new MergePatch(body), t => ValidateTeamAsync(t, ct), ct);
        foreach (var (member, capacity) in capacities)
        {
            await PatchAsync<Salesperson>(member, new MergePatch(new JsonObject { ["capacity"] = capacity }), ValidateSalesperson, ct);
        }
        return replaced;
    }

    public Task<Salesperson> CreateSalespersonAsync(Salesperson person, string id, CancellationToken ct) => CreateAsync(person, id, ValidateSalesperson, ct);

    public Task<Salesperson> PatchSalespersonAsync(string id, MergePatch patch, CancellationToken ct) => PatchAsync<Salesperson>(id, patch, ValidateSalesperson, ct);

    public Task<Customer> CreateCustomerAsync(Customer customer, string id, CancellationToken ct) =>
        CreateAsync(customer, id, async record =>
        {
            await ValidateCustomerAsync(record, ct);
            await IndexAsync(record, ct);
        }, ct);

    /// <summary>
    /// Stores a customer planned elsewhere (a conversion) under its own id; storing it again is a
    /// no-op, so a retried conversion never creates a second one.
    /// </summary>
    public async Task InsertCustomerOnceAsync(Customer customer, CancellationToken ct)
    {
        await IndexAsync(customer, ct);
        try
        {
            await store.InsertAsync(customer.Id, customer, ct);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 409)
        {
        }
    }

    /// <summary>Indexed before it is stored: a customer that the index misses could never be suggested.</summary>
    private async Task IndexAsync(Customer customer, CancellationToken ct)
    {
        if (EmailAddress.Normalize(customer.Email) is { } email)
        {
            await index.AddAsync(MatchIndex.CustomerEmailPartition(email), customer.Id, ct);
        }
    }

    /// <summary>Customers with this email (normalized), through the index.</summary>
    public async Task<IReadOnlyList<Customer>> CustomersByEmailAsync(string email, CancellationToken ct)
    {
        var normalized = EmailAddress.Normalize(email) ?? throw ValidationException.For("email", "This is not a valid email address.");
        var ids = await index.MembersAsync(MatchIndex.CustomerEmailPartition(normalized), 200, ct);
        var found = await Task.WhenAll(ids.Select(id => store.FindAsync<Customer>(id, ct)));
        return found.OfType<Customer>().Where(c => EmailAddress.Normalize(c.Email) == normalized).ToList();
    }

    public async Task<T> GetAsync<T>(string id, CancellationToken ct) where T : class =>
        await store.FindAsync<T>(id, ct) ?? throw new NotFoundException(DirectoryStore.KindOf<T>(), id);

    /// <summary>
    /// Replaces the settings; switching leads on or off globally sets every team to the same. A
    /// duplicate rule switched on starts a background sweep that checks every stored record again
    /// (records checked while it was off never looked for such matches).
    /// </summary>
    public async Task<Settings> PutSettingsAsync(Settings settings, CancellationToken ct)
    {
        var before = await store.GetSettingsAsync(ct);
        if (before.LeadsEnabled != settings.LeadsEnabled)
        {
            foreach (var team in await store.AllAsync<Team>(ct))
            {
                await PatchAsync<Team>(team.Id, new MergePatch(new JsonObject { ["useLeads"] = settings.LeadsEnabled }), _ => Task.CompletedTask, ct);
            }
        }
        var switchedOn = Enum.GetValues<MatchRule>().Where(rule => settings.DuplicateRules.IsOn(rule) && !before.DuplicateRules.IsOn(rule)).ToList();
        if (switchedOn.Count > 0)
        {
            // Before the write: a process that dies after writing must not leave a rule on that
            // no sweep will ever apply. The sweep waits for the write itself (RuleSweep).
            await queue.SendAsync(SweepMessage.For(switchedOn, clock.GetUtcNow()), ct);
            await faults.AfterWriteAsync("settings: sweep queued");
            await faults.AtAsync("settings: sweep queued");
        }
        await store.SaveSettingsAsync(settings, ct);
        await faults.AfterWriteAsync("settings: saved");
        return settings;
    }

    /// <param name="id">Chosen by the caller, so that a retry under the same Idempotency-Key makes the same record.</param>
    private async Task<T> CreateAsync<T>(T record, string id, Func<T, Task> validate, CancellationToken ct) where T : class, IDirectoryRecord
    {
        record.Id = id;
        record.CreatedAt = clock.GetUtcNow();
        await validate(record);
        await store.InsertAsync(record.Id, record, ct);
        return record;
    }

    /// <summary>
    /// JSON merge patch of the whole record; the id and creation time stay. Conditional on the
    /// version read, so that two patches at once both apply, one after the other.
    /// </summary>
    private async Task<T> PatchAsync<T>(string id, MergePatch patch, Func<T, Task> validate, CancellationToken ct) where T : class, IDirectoryRecord
    {
        try
        {
            return await Retry.OnConflictAsync(async ct =>
            {
                var (current, etag) = await store.FindVersionedAsync<T>(id, ct) ?? throw new NotFoundException(DirectoryStore.KindOf<T>(), id);
                var merged = patch.ApplyTo(JsonSerializer.SerializeToNode(current, JsonDefaults.Options));
                var changed = JsonInput.Deserialize<T>(merged);
                changed.Id = current.Id;
                changed.CreatedAt = current.CreatedAt;
                await validate(changed);
                await store.ReplaceAsync(changed.Id, changed, etag, ct);
                return changed;
            }, ct);
        }
        catch (ConcurrencyException)
        {
            throw new PreconditionFailedException("The record kept changing while it was being updated; try again.");
        }
    }

    private async Task ValidateCustomerAsync(Customer customer, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        Text(errors, "name", customer.Name, required: true);
        foreach (var (field, value) in new[] { ("street", customer.Street), ("city", customer.City), ("zip", customer.Zip), ("state", customer.State), ("country", customer.Country) })
        {
            Text(errors, field, value, required: false);
        }
        if (customer.Email is not null && EmailAddress.Normalize(customer.Email) is null)
        {
            errors.Add("email", "This is not a valid email address.");
        }
        if (customer.Phone is not null && !phones.IsValid(customer.Phone, customer.Country))
        {
            errors.Add("phone", "This is not a valid phone number.");
        }
        if (customer.Website is not null && !LeadValidator.IsWebsite(customer.Website))
        {
            errors.Add("website", "This is not a valid website.");
        }
        if (customer.CompanyId is { } companyId)
        {
            if (customer.Kind != CustomerKind.Person)
            {
                errors.Add("companyId", "Only a person belongs to a company.");
            }
            else if (await store.FindAsync<Customer>(companyId, ct) is not { Kind: CustomerKind.Company })
            {
                errors.Add("companyId", "No company customer has this id.");
            }
        }
        Throw(errors);
    }

    private async Task ValidateTeamAsync(Team team, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        Text(errors, "name", team.Name, required: true);
        RoutingRules.Validate(team.Rules, errors);
        ResponseDeadline.Validate(team, errors);
        var members = team.MemberIds.Append(team.LeaderId).OfType<string>().Distinct().ToList();
        if (team.MemberIds.Count > 100)
        {
            errors.Add("memberIds", "A team has at most 100 members.");
        }
        else if (team.MemberIds.Any(id => id is null))
        {
            // A JSON null in the list gets past the nullable annotations; it would be stored as a member.
            errors.Add("memberIds", "A member is a salesperson's id, never null.");
        }
        else
        {
            foreach (var id in members)
            {
                if (await store.FindAsync<Salesperson>(id, ct) is null)
                {
                    errors.Add(id == team.LeaderId ? "leaderId" : "memberIds", $"No salesperson has the id '{Trim(id)}'.");
                }
            }
        }
        Throw(errors);
        // The default takes what no rule matches (SPEC 11): two would make where a record goes a guess.
        if (team.Default && (await store.AllAsync<Team>(ct)).FirstOrDefault(t => t.Default && t.Id != team.Id) is { } other)
        {
            throw new ConflictException($"Team {other.Id} is the default team already: unset it there first.");
        }
    }

    private async Task ValidateSalesperson(Salesperson person)
    {
        var errors = new ValidationErrors();
        Text(errors, "name", person.Name, required: true);
        var email = EmailAddress.Normalize(person.Email);
        if (person.Email is not null && email is null)
        {
            errors.Add("email", "This is not a valid email address.");
        }
        if (person.Capacity is < 0 or > MaxCapacity)
        {
            errors.Add("capacity", $"Records per 30 days, from 0 (no limit) to {MaxCapacity}.");
        }
        Throw(errors);
        // A sign-in names one salesperson (SPEC 10): two with one email or account would make who acts a guess.
        var others = (await store.AllAsync<Salesperson>(CancellationToken.None)).Where(p => p.Id != person.Id).ToList();
        if (email is not null && others.FirstOrDefault(p => EmailAddress.Normalize(p.Email) == email) is { } sameEmail)
        {
            throw new ConflictException($"Salesperson {sameEmail.Id} has this email already: a sign-in email names one salesperson.");
        }
        if (person.ObjectId is not null && others.FirstOrDefault(p => string.Equals(p.ObjectId, person.ObjectId, StringComparison.OrdinalIgnoreCase)) is { } sameAccount)
        {
            throw new ConflictException($"Salesperson {sameAccount.Id} is linked to this account already.");
        }
    }

    private static void Text(ValidationErrors errors, string field, string? value, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                errors.Add(field, "This field is required.");
            }
            return;
        }
        if (value.Length > LeadValidator.MaxTextLength || value.Any(char.IsControl))
        {
            errors.Add(field, $"At most {LeadValidator.MaxTextLength} characters, without control characters.");
        }
    }

    private static string Trim(string id) => id.Length > 40 ? id[..40] + "…" : id;

    private static void Throw(ValidationErrors errors)
    {
        if (!errors.IsEmpty)
        {
            throw new ValidationException(errors);
        }
    }
}
