using System.Globalization;
using System.Xml;
using LeadFunctions.Domain.Leads;
using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Routing;

/// <summary>Deadlines counted in a team's working hours.</summary>
public static class ResponseDeadline
{
    public const int MaxReassignments = 10;

    private static readonly TimeSpan MaxDuration = TimeSpan.FromDays(30);

    private static readonly Dictionary<string, DayOfWeek> DayNames = new(StringComparer.Ordinal)
    {
        ["monday"] = DayOfWeek.Monday,
        ["tuesday"] = DayOfWeek.Tuesday,
        ["wednesday"] = DayOfWeek.Wednesday,
        ["thursday"] = DayOfWeek.Thursday,
        ["friday"] = DayOfWeek.Friday,
        ["saturday"] = DayOfWeek.Saturday,
        ["sunday"] = DayOfWeek.Sunday,
    };

    /// <summary>
    /// <paramref name="from"/> plus <paramref name="within"/> of working time: time outside the
    /// working hours (in <paramref name="timeZone"/>, an IANA or Windows id) does not count; null
    /// hours: around the clock. A start outside working hours starts counting at the next opening.
    /// </summary>
    public static DateTimeOffset Of(DateTimeOffset from, TimeSpan within, WorkingHours? hours, string timeZone)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(within, TimeSpan.Zero);
        if (hours is null)
        {
            return from + within;
        }
        var zone = string.IsNullOrWhiteSpace(timeZone) ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        var days = (hours.Days ?? []).Where(d => d is not null && DayNames.ContainsKey(d)).Select(d => DayNames[d]).ToHashSet();
        if (days.Count == 0 || !TryParseTime(hours.Start, out var start) || !TryParseTime(hours.End, out var end) || start >= end)
        {
            throw new InvalidOperationException("The working hours hold no working time: check their days, start and end.");
        }

        var left = within;
        var day = TimeZoneInfo.ConvertTime(from, zone).Date;
        // A week holds every working day once; a window can still be empty on one day (swallowed by a
        // clock change), so give up only after two weeks without any working time at all.
        for (var idle = 0; idle <= 14; day = day.AddDays(1))
        {
            if (!days.Contains(day.DayOfWeek))
            {
                idle++;
                continue;
            }
            var opens = ToUtc(day + start.ToTimeSpan(), zone, earliest: true);
            var closes = ToUtc(day + end.ToTimeSpan(), zone, earliest: false);
            var counting = opens > from ? opens : from;
            if (closes <= opens)
            {
                idle++;
                continue;
            }
            idle = 0;
            if (closes <= counting)
            {
                continue;
            }
            if (left <= closes - counting)
            {
                // In the caller's offset, as the around-the-clock deadline is.
                return (counting + left).ToOffset(from.Offset);
            }
            left -= closes - counting;
        }
        throw new InvalidOperationException("The working hours hold no working time in two weeks.");
    }

    /// <summary>
    /// The instant a wall-clock time of the zone names: in a gap (clocks moved forward) the first
    /// moment after it; when the clock shows it twice, the first showing for an opening and the
    /// last for a closing, so the window covers all the time the clock reads inside it.
    /// </summary>
    private static DateTimeOffset ToUtc(DateTime local, TimeZoneInfo zone, bool earliest)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        // Gaps are whole minutes in every zone of the database, and at most a few hours long.
        for (var guard = 0; zone.IsInvalidTime(local) && guard < 24 * 60; guard++)
        {
            local = local.AddMinutes(1);
        }
        if (zone.IsAmbiguousTime(local))
        {
            var offsets = zone.GetAmbiguousTimeOffsets(local);
            var offset = earliest ? offsets.Max() : offsets.Min();
            return new DateTimeOffset(local - offset, TimeSpan.Zero);
        }
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
    }

    /// <summary>Parses an ISO 8601 duration ("PT2H", "P1D"); false when it is not one, or not positive, or over 30 days.</summary>
    public static bool TryParseDuration(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        TimeSpan parsed;
        try
        {
            parsed = XmlConvert.ToTimeSpan(text.Trim());
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            return false;
        }
        if (parsed <= TimeSpan.Zero || parsed > MaxDuration)
        {
            return false;
        }
        duration = parsed;
        return true;
    }

    /// <summary>
    /// Adds the errors of a team's respond settings: respondWithin a duration, timeZone a known
    /// zone, workingHours days known names (at least one), start and end "HH:mm" with start before end, maxReassignments 0 to 10.
    /// </summary>
    public static void Validate(Team team, ValidationErrors errors)
    {
        if (team.RespondWithin is not null && !TryParseDuration(team.RespondWithin, out _))
        {
            errors.Add("respondWithin", "Give an ISO 8601 duration over zero and at most 30 days, such as PT2H or P1D.");
        }
        if (string.IsNullOrWhiteSpace(team.TimeZone) || !TimeZoneInfo.TryFindSystemTimeZoneById(team.TimeZone, out _))
        {
            errors.Add("timeZone", "Give a known time zone, such as Europe/Brussels or UTC.");
        }
        if (team.WorkingHours is { } hours)
        {
            ValidateHours(hours, errors);
        }
        if (team.MaxReassignments is < 0 or > MaxReassignments)
        {
            errors.Add("maxReassignments", $"Give a number from 0 to {MaxReassignments}.");
        }
    }

    private static void ValidateHours(WorkingHours hours, ValidationErrors errors)
    {
        if (hours.Days is not { Count: > 0 } days)
        {
            errors.Add("workingHours.days", "Name at least one day.");
        }
        else
        {
            var unknown = days.Where(d => d is null || !DayNames.ContainsKey(d)).Select(d => d is null ? "null" : $"'{Shorten(d)}'").Distinct().ToList();
            if (unknown.Count > 0)
            {
                errors.Add("workingHours.days", $"{string.Join(", ", unknown.Take(5))} {(unknown.Count == 1 ? "is not a day" : "are not days")}; use {string.Join(", ", DayNames.Keys)}.");
            }
        }
        var startValid = TryParseTime(hours.Start, out var start);
        var endValid = TryParseTime(hours.End, out var end);
        if (!startValid)
        {
            errors.Add("workingHours.start", "Give a time as HH:mm, such as 09:00.");
        }
        if (!endValid)
        {
            errors.Add("workingHours.end", "Give a time as HH:mm, such as 17:00.");
        }
        if (startValid && endValid && start >= end)
        {
            errors.Add("workingHours.end", "The end must come after the start, on the same day.");
        }
    }

    private static bool TryParseTime(string? text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    private static string Shorten(string text) => text.Length > 20 ? text[..20] + "…" : text;
}
