using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Merging;

/// <summary>
/// Consent in a merge (SPEC 4.2): each flag takes the most restrictive value of the merged records
/// (true wins), whatever the merge order, the survivor or fieldSources say. A person who opted out on
/// any of their records opted out; a merge must never make them reachable again. fieldSources may
/// still name a flag (a client sends every field its dialog shows, and refusing that would break it);
/// the pick then only decides which record the source names, when that record holds the kept value.
/// </summary>
public static class ConsentMerge
{
    private sealed record Flag(string Name, Func<Lead, bool> Get, Action<Lead, bool> Set);

    private static readonly Flag[] Flags =
    [
        new("emailOptOut", l => l.EmailOptOut, (l, v) => l.EmailOptOut = v),
        new("phoneOptOut", l => l.PhoneOptOut, (l, v) => l.PhoneOptOut = v),
        new("doNotContact", l => l.DoNotContact, (l, v) => l.DoNotContact = v),
    ];

    public static IEnumerable<string> Names => Flags.Select(f => f.Name);

    /// <summary>
    /// An undone merge's survivor keeps each flag that a record still merged into it holds (a later
    /// merge's): its own value before the undone merge may be false, and the later merge's opt-out
    /// must not go with the undone one.
    /// </summary>
    public static void KeepStillMerged(Lead restored, IEnumerable<Lead> stillMerged)
    {
        ArgumentNullException.ThrowIfNull(restored);
        foreach (var other in stillMerged)
        {
            foreach (var flag in Flags.Where(f => f.Get(other)))
            {
                flag.Set(restored, true);
            }
        }
    }

    /// <summary>Sets each flag of <paramref name="result"/>; its source is a record holding the kept value: the picked one if it does, else the first in merge order.</summary>
    public static void Apply(Lead result, IReadOnlyList<Lead> ordered, IReadOnlyDictionary<string, Lead> picked, Dictionary<string, string> sources)
    {
        foreach (var flag in Flags)
        {
            var kept = ordered.Any(flag.Get);
            var source = picked.GetValueOrDefault(flag.Name) is { } chosen && flag.Get(chosen) == kept
                ? chosen
                : ordered.First(l => flag.Get(l) == kept);
            flag.Set(result, kept);
            sources[flag.Name] = source.Id;
        }
    }
}
