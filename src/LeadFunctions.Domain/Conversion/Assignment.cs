using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Conversion;

/// <summary>The salesperson and team of a conversion (SPEC 4.3). A blank id counts as not given.</summary>
public static class Assignment
{
    /// <summary>
    /// The salesperson and team a conversion gives the opportunity.
    /// <list type="bullet">
    /// <item>No <paramref name="userId"/>: the lead's salesperson, and <paramref name="teamId"/> when given, else the lead's team.</item>
    /// <item><paramref name="userId"/> and <paramref name="teamId"/>: both as given.</item>
    /// <item><paramref name="userId"/> without <paramref name="teamId"/>: the lead's team when the
    /// salesperson is its leader or a member; else the first team of <paramref name="teamsByCreation"/>
    /// (taken in the order given, which must be creation order) where the salesperson is leader or
    /// member; else no team (null).</item>
    /// </list>
    /// The ids are not checked against storage here: an unknown salesperson or team is the caller's to refuse.
    /// </summary>
    public static (string? UserId, string? TeamId) Resolve(Lead lead, string? userId, string? teamId, IReadOnlyList<Team> teamsByCreation)
    {
        ArgumentNullException.ThrowIfNull(lead);
        ArgumentNullException.ThrowIfNull(teamsByCreation);
        var givenUser = ConversionDefaults.Filled(userId) ? userId : null;
        var givenTeam = ConversionDefaults.Filled(teamId) ? teamId : null;
        if (givenUser is null)
        {
            return (lead.UserId, givenTeam ?? lead.TeamId);
        }
        if (givenTeam is not null)
        {
            return (givenUser, givenTeam);
        }
        var leadTeam = teamsByCreation.FirstOrDefault(t => t is not null && string.Equals(t.Id, lead.TeamId, StringComparison.Ordinal));
        if (leadTeam is not null && BelongsTo(leadTeam, givenUser))
        {
            return (givenUser, leadTeam.Id);
        }
        return (givenUser, teamsByCreation.FirstOrDefault(t => t is not null && BelongsTo(t, givenUser))?.Id);
    }

    /// <summary>True when the salesperson leads the team or is one of its members.</summary>
    public static bool BelongsTo(Team team, string userId)
    {
        ArgumentNullException.ThrowIfNull(team);
        return string.Equals(team.LeaderId, userId, StringComparison.Ordinal)
            || team.MemberIds.Contains(userId, StringComparer.Ordinal);
    }
}
