using System.Text.Json;
using System.Text.Json.Nodes;
using LeadFunctions.Domain.Access;
using LeadFunctions.Domain.Errors;
using LeadFunctions.Domain.Leads;

namespace LeadFunctions.Domain.Model;

/// <summary>
/// What a change made: its log entry, and whether a duplicate check must follow (it lists the
/// record again and refreshes the items other records show of it).
/// </summary>
public sealed record LeadChange(LogEntry Entry, bool Check);

// The record's state changes (SPEC 3): each checks the state it starts from, makes the change and
// says what it did as a log entry, so that every route and step that changes a record keeps the
// same rules and history. The actor is the caller's to say (the domain knows no request): who
// decided the change, which is not always who writes it (a merge finished by another request).
public sealed partial class Lead
{
    /// <exception cref="ConflictException">The record is merged: its survivor is the one to work on.</exception>
    public Lead ThrowIfMerged() =>
        Status == LeadStatus.Merged ? throw new ConflictException($"The record was merged into {MergedInto}.", MergedInto) : this;

    /// <exception cref="ConflictException">The record is lost already, or won (restore it first).</exception>
    public LeadChange Lose(string? reason, DateTimeOffset now, Actor actor)
    {
        if (Status == LeadStatus.Lost)
        {
            throw new ConflictException("The record is lost already.");
        }
        if (Status == LeadStatus.Won)
        {
            throw new ConflictException("The record is won: restore it first.");
        }
        Status = LeadStatus.Lost;
        LostReason = string.IsNullOrWhiteSpace(reason) ? null : reason;
        return StatusChange(LogEntries.New(Id, now, LogKind.Lost, LostReason is null ? "Marked lost." : $"Marked lost: {LostReason}.",
            new JsonObject { ["reason"] = LostReason }, actor));
    }

    /// <summary>Only an active opportunity can be won (SPEC 3); a lead converts first.</summary>
    /// <exception cref="ConflictException">A lead, or a record that is not active.</exception>
    public LeadChange Win(DateTimeOffset now, Actor actor)
    {
        if (Type != LeadType.Opportunity)
        {
            throw new ConflictException("Only an opportunity can be won: convert the lead first.");
        }
        if (Status != LeadStatus.Active)
        {
            throw new ConflictException(Status == LeadStatus.Won ? "The record is won already." : "The record is lost: restore it first.");
        }
        Status = LeadStatus.Won;
        WonAt = now;
        return StatusChange(LogEntries.New(Id, now, LogKind.Won, "Marked won.", null, actor));
    }

    /// <summary>A won or lost record becomes active again.</summary>
    /// <exception cref="ConflictException">The record is active already.</exception>
    public LeadChange Restore(DateTimeOffset now, Actor actor)
    {
        if (Status == LeadStatus.Active)
        {
            throw new ConflictException("The record is active already.");
        }
        Status = LeadStatus.Active;
        LostReason = null;
        WonAt = null;
        return StatusChange(LogEntries.New(Id, now, LogKind.Restored, "Restored.", null, actor));
    }

    /// <summary>
    /// Takes the writable fields of <paramref name="input"/> (validated by the caller), logging
    /// each field's from and to. A change of a key field makes the duplicate check pending again.
    /// </summary>
    /// <returns>Null when nothing changed.</returns>
    public LeadChange? Edit(LeadInput input, DateTimeOffset now, Actor actor)
    {
        var before = Writable();
        var owner = UserId;
        input.ApplyTo(this);
        AssignedBy(owner, now, actor);
        var after = Writable();
        var changes = new JsonObject();
        foreach (var (field, value) in after)
        {
            if (!JsonNode.DeepEquals(value, before[field]))
            {
                changes[field] = new JsonObject { ["from"] = before[field]?.DeepClone(), ["to"] = value?.DeepClone() };
            }
        }
        if (changes.Count == 0)
        {
            return null;
        }
        var recheck = LeadFields.Keys.Any(changes.ContainsKey);
        if (recheck)
        {
            DuplicateCheck.Status = DuplicateCheckStatus.Pending;
            DuplicateCheck.Reason = null;
        }
        var entry = LogEntries.New(Id, now, LogKind.Updated, $"Changed {string.Join(", ", changes.Select(c => c.Key))}.", new JsonObject { ["changes"] = changes }, actor);
        return new LeadChange(entry, recheck || LeadFields.Shown.Any(changes.ContainsKey));
    }

    /// <summary>The writable fields as the API shows them: what a merge patch applies to.</summary>
    public JsonObject Writable() => JsonSerializer.SerializeToNode(LeadInput.From(this), JsonDefaults.Options)!.AsObject();

    // A status shows in lists and in the similar-record items of other records: the check that
    // follows lists the record again and refreshes those items.
    private static LeadChange StatusChange(LogEntry entry) => new(entry, Check: true);
}
