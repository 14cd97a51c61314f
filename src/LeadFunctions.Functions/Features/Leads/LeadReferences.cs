using LeadFunctions.Domain.Leads;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Directory;

namespace LeadFunctions.Functions.Features.Leads;

/// <summary>The team, salesperson and customer a record names, which must exist (a new record and a patch alike).</summary>
public sealed class LeadReferences(DirectoryStore directory)
{
    /// <summary>Checks that the team, salesperson and customer named exist; returns the team.</summary>
    public async Task<Team?> CheckAsync(LeadInput input, ValidationErrors errors, CancellationToken ct)
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
