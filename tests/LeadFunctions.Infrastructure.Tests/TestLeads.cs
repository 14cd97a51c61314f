using LeadFunctions.Domain;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Leads;

namespace LeadFunctions.Infrastructure.Tests;

/// <summary>Records and unique values for tests that share one Azurite.</summary>
internal static class TestLeads
{
    /// <summary>A company domain no other test uses.</summary>
    public static string UniqueDomain() => $"co{Guid.NewGuid():N}"[..14] + ".test";

    public static Lead New(string? email = null, string? teamId = null, string? name = null)
    {
        var now = DateTimeOffset.UtcNow;
        return new Lead
        {
            Id = Ids.New(now),
            Type = LeadType.Lead,
            Status = LeadStatus.Active,
            Name = name,
            Email = email,
            TeamId = teamId,
            CreatedAt = now,
            UpdatedAt = now,
            DuplicateCheck = new DuplicateCheck { Status = DuplicateCheckStatus.Pending },
        };
    }

    public static LogEntry Created(Lead lead) =>
        LogEntries.New(lead.Id, lead.CreatedAt, LogKind.Created, "Lead created (test).", null, LeadFunctions.Domain.Access.Actor.System);

    public static async Task<Lead> InsertAsync(this LeadStore store, Lead lead)
    {
        (await store.InsertAsync(lead, [Created(lead)], TestContext.Current.CancellationToken, listNow: true)).Should().BeTrue();
        return lead;
    }
}
