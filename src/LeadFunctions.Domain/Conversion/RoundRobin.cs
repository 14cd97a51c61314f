using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Conversion;

/// <summary>
/// The round-robin assignment of a bulk conversion (SPEC 4.3): salespeople taken in the order
/// given, cycling, one turn per lead that needs one. Call <see cref="Next"/> once per lead, in the
/// request's order, and <see cref="GiveBack"/> when that lead's conversion then fails, so that
/// a lead that fails takes no turn. Not thread-safe: a bulk conversion runs its leads one after another.
/// </summary>
/// <param name="userIds">The salespeople, in turn order (copied).</param>
/// <param name="forceAssignment">When true, leads that already have a salesperson take a turn too.</param>
public sealed class RoundRobin(IReadOnlyList<string> userIds, bool forceAssignment)
{
    private readonly string[] userIds = userIds?.ToArray() ?? throw new ArgumentNullException(nameof(userIds));
    private int position;
    private bool lastTookTurn;

    /// <summary>How many turns have been taken (and not given back) so far.</summary>
    public int TurnsTaken => position;

    /// <summary>
    /// The salesperson for <paramref name="lead"/>:
    /// <list type="bullet">
    /// <item>no userIds: the lead's own salesperson (possibly null), taking no turn;</item>
    /// <item>the lead has a salesperson and forceAssignment is off: that salesperson, taking no turn;</item>
    /// <item>otherwise the salesperson whose turn it is, and the turn moves to the next one (after the last, the first).</item>
    /// </list>
    /// </summary>
    public string? Next(Lead lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        lastTookTurn = false;
        if (userIds.Length == 0 || (!forceAssignment && ConversionDefaults.Filled(lead.UserId)))
        {
            return lead.UserId;
        }
        var userId = userIds[position % userIds.Length];
        position++;
        lastTookTurn = true;
        return userId;
    }

    /// <summary>
    /// The lead of the latest <see cref="Next"/> call failed: when that call took a turn, the turn
    /// is given back and the next lead gets the same salesperson. Does nothing when that call took
    /// no turn, when nothing was taken yet, or when the turn was already given back.
    /// </summary>
    public void GiveBack()
    {
        if (lastTookTurn)
        {
            position--;
            lastTookTurn = false;
        }
    }
}
