using LeadFunctions.Domain.Leads;
using LeadFunctions.Domain.Model;
using LeadFunctions.Domain.Routing;

namespace LeadFunctions.Domain.Tests.Routing;

/// <summary>respondWithin counted in a team's working hours, and the settings that shape it.</summary>
public sealed class ResponseDeadlineTests
{
    private const string Brussels = "Europe/Brussels";
    private static readonly TimeSpan Winter = TimeSpan.FromHours(1);
    private static readonly TimeSpan Summer = TimeSpan.FromHours(2);
    private static readonly WorkingHours OfficeHours = new();

    /// <summary>A wall-clock time in Brussels in winter (CET); 2026-12-07 is a Monday.</summary>
    private static DateTimeOffset Dec(int day, int hour, int minute = 0) => new(2026, 12, day, hour, minute, 0, Winter);

    private static WorkingHours Hours(string start, string end, params string[] days) => new() { Days = [.. days], Start = start, End = end };

    [Fact]
    public void Without_working_hours_the_clock_always_runs()
    {
        var friday = Dec(11, 16);

        ResponseDeadline.Of(friday, TimeSpan.FromHours(2), null, Brussels).Should().Be(Dec(11, 18));
        ResponseDeadline.Of(friday, TimeSpan.FromDays(3), null, Brussels).Should().Be(Dec(14, 16));
    }

    [Fact]
    public void Within_a_working_day_the_deadline_is_plain_addition() =>
        ResponseDeadline.Of(Dec(7, 10), TimeSpan.FromHours(2), OfficeHours, Brussels).Should().Be(Dec(7, 12));

    [Fact]
    public void A_deadline_that_fills_the_day_exactly_falls_at_closing_not_the_next_opening() =>
        ResponseDeadline.Of(Dec(7, 15), TimeSpan.FromHours(2), OfficeHours, Brussels).Should().Be(Dec(7, 17));

    [Fact]
    public void The_night_does_not_count() =>
        ResponseDeadline.Of(Dec(7, 16), TimeSpan.FromHours(2), OfficeHours, Brussels).Should().Be(Dec(8, 10));

    [Fact]
    public void The_weekend_does_not_count()
    {
        ResponseDeadline.Of(Dec(11, 16, 30), TimeSpan.FromHours(2), OfficeHours, Brussels).Should().Be(Dec(14, 10, 30));
        ResponseDeadline.Of(Dec(11, 9), TimeSpan.FromHours(24), OfficeHours, Brussels).Should().Be(Dec(15, 17), "three working days of eight hours");
    }

    [Fact]
    public void A_start_outside_hours_counts_from_the_next_opening()
    {
        ResponseDeadline.Of(Dec(7, 7), TimeSpan.FromHours(1), OfficeHours, Brussels).Should().Be(Dec(7, 10), "before opening");
        ResponseDeadline.Of(Dec(7, 20), TimeSpan.FromHours(1), OfficeHours, Brussels).Should().Be(Dec(8, 10), "after closing");
        ResponseDeadline.Of(Dec(12, 11), TimeSpan.FromMinutes(30), OfficeHours, Brussels).Should().Be(Dec(14, 9, 30), "on a Saturday");
    }

    [Fact]
    public void Hours_are_read_in_the_teams_zone_and_the_deadline_keeps_the_callers_offset()
    {
        var mondayNineUtc = new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

        var deadline = ResponseDeadline.Of(mondayNineUtc, TimeSpan.FromHours(1), OfficeHours, "America/New_York");

        deadline.Should().Be(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.FromHours(-5)), "09:00 in New York is 14:00 UTC");
        deadline.Offset.Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void The_spring_clock_change_moves_the_opening_an_hour_earlier_in_utc()
    {
        // Brussels goes from CET to CEST on Sunday 2026-03-29.
        var fridayBefore = new DateTimeOffset(2026, 3, 27, 16, 0, 0, Winter);

        var deadline = ResponseDeadline.Of(fridayBefore, TimeSpan.FromHours(2), OfficeHours, Brussels);

        deadline.Should().Be(new DateTimeOffset(2026, 3, 30, 10, 0, 0, Summer));
        deadline.UtcDateTime.Should().Be(new DateTime(2026, 3, 30, 8, 0, 0, DateTimeKind.Utc));
    }

    [Fact]
    public void A_window_across_the_spring_change_lasts_an_hour_less()
    {
        // 01:00 CET to 04:00 CEST on 2026-03-29 is two real hours; the third comes a week later.
        var night = Hours("01:00", "04:00", "sunday");
        var saturday = new DateTimeOffset(2026, 3, 28, 12, 0, 0, Winter);

        ResponseDeadline.Of(saturday, TimeSpan.FromHours(2), night, Brussels).Should().Be(new DateTimeOffset(2026, 3, 29, 4, 0, 0, Summer));
        ResponseDeadline.Of(saturday, TimeSpan.FromHours(3), night, Brussels).Should().Be(new DateTimeOffset(2026, 4, 5, 2, 0, 0, Summer));
    }

    [Fact]
    public void An_opening_the_clock_skips_opens_when_the_clock_resumes()
    {
        // 02:30 does not exist on 2026-03-29 in Brussels: the clock goes from 02:00 to 03:00.
        var hours = Hours("02:30", "05:00", "sunday");
        var saturday = new DateTimeOffset(2026, 3, 28, 12, 0, 0, Winter);

        ResponseDeadline.Of(saturday, TimeSpan.FromHours(1), hours, Brussels).Should().Be(new DateTimeOffset(2026, 3, 29, 4, 0, 0, Summer));
    }

    [Fact]
    public void A_window_across_the_autumn_change_lasts_an_hour_more()
    {
        // Brussels goes back from CEST to CET on Sunday 2026-10-25, showing 02:00 to 03:00 twice.
        var night = Hours("01:00", "04:00", "sunday");
        var saturday = new DateTimeOffset(2026, 10, 24, 12, 0, 0, Summer);

        ResponseDeadline.Of(saturday, TimeSpan.FromHours(4), night, Brussels).Should().Be(new DateTimeOffset(2026, 10, 25, 4, 0, 0, Winter));
        ResponseDeadline.Of(saturday, TimeSpan.FromMinutes(30), Hours("02:30", "06:00", "sunday"), Brussels)
            .Should().Be(new DateTimeOffset(2026, 10, 25, 3, 0, 0, Summer), "an opening the clock shows twice opens the first time");
    }

    [Fact]
    public void A_long_deadline_over_sparse_hours_is_still_found()
    {
        var oneHourOnMondays = Hours("09:00", "10:00", "monday");

        ResponseDeadline.Of(Dec(7, 9), TimeSpan.FromHours(30), oneHourOnMondays, "UTC")
            .Should().Be(new DateTimeOffset(2027, 6, 28, 10, 0, 0, TimeSpan.Zero).ToOffset(Winter), "the thirtieth Monday from 2026-12-07");
    }

    [Fact]
    public void A_windows_zone_id_reads_as_its_iana_zone()
    {
        var errors = new ValidationErrors();
        ResponseDeadline.Validate(new Team { TimeZone = "Romance Standard Time" }, errors);
        errors.IsEmpty.Should().BeTrue(errors.ToString());

        ResponseDeadline.Of(Dec(7, 16), TimeSpan.FromHours(2), OfficeHours, "Romance Standard Time").Should().Be(Dec(8, 10));
    }

    [Fact]
    public void Hours_without_working_time_are_refused()
    {
        var act = () => ResponseDeadline.Of(Dec(7, 9), TimeSpan.FromHours(1), Hours("09:00", "17:00", "funday"), Brussels);
        act.Should().Throw<InvalidOperationException>();

        var backwards = () => ResponseDeadline.Of(Dec(7, 9), TimeSpan.FromHours(1), Hours("17:00", "09:00", "monday"), Brussels);
        backwards.Should().Throw<InvalidOperationException>();
    }

    [Theory]
    [InlineData("PT2H", 2 * 60)]
    [InlineData("PT30M", 30)]
    [InlineData("P1D", 24 * 60)]
    [InlineData("P1DT12H", 36 * 60)]
    [InlineData("P30D", 30 * 24 * 60)]
    [InlineData(" PT1H ", 60)]
    public void Iso_durations_are_read(string text, int minutes)
    {
        ResponseDeadline.TryParseDuration(text, out var duration).Should().BeTrue();
        duration.Should().Be(TimeSpan.FromMinutes(minutes));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2 hours")]
    [InlineData("02:00:00")]
    [InlineData("PT0S")]
    [InlineData("-PT1H")]
    [InlineData("P31D")]
    [InlineData("PT721H")]
    [InlineData("P99999999999999D")]
    public void Other_durations_are_refused(string? text)
    {
        ResponseDeadline.TryParseDuration(text, out var duration).Should().BeFalse();
        duration.Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void Good_respond_settings_have_no_errors()
    {
        var errors = new ValidationErrors();
        ResponseDeadline.Validate(new Team { RespondWithin = "PT4H", TimeZone = Brussels, WorkingHours = new(), MaxReassignments = 10 }, errors);
        ResponseDeadline.Validate(new Team { RespondWithin = null, TimeZone = "UTC", WorkingHours = null, MaxReassignments = 0 }, errors);
        ResponseDeadline.Validate(new Team { TimeZone = "America/New_York", WorkingHours = Hours("00:00", "23:59", "saturday", "sunday", "sunday") }, errors);

        errors.IsEmpty.Should().BeTrue(errors.ToString());
    }

    [Fact]
    public void Each_bad_respond_setting_is_named()
    {
        var errors = new ValidationErrors();

        ResponseDeadline.Validate(new Team
        {
            RespondWithin = "two hours",
            TimeZone = "Mars/Olympus_Mons",
            WorkingHours = Hours("9:00", "25:00", "monday", "Funday"),
            MaxReassignments = 11,
        }, errors);

        errors.Fields.Should().BeEquivalentTo("respondWithin", "timeZone", "workingHours.days", "workingHours.start", "workingHours.end", "maxReassignments");
        errors.For("workingHours.days").Should().ContainSingle().Which.Should().Contain("'Funday'");
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void A_missing_time_zone_is_refused(string? zone)
    {
        var errors = new ValidationErrors();
        ResponseDeadline.Validate(new Team { TimeZone = zone! }, errors);
        errors.Fields.Should().Equal("timeZone");
    }

    [Fact]
    public void Working_hours_need_a_day_and_an_end_after_the_start()
    {
        var errors = new ValidationErrors();
        ResponseDeadline.Validate(new Team { WorkingHours = Hours("17:00", "09:00") }, errors);

        errors.Fields.Should().BeEquivalentTo("workingHours.days", "workingHours.end");
        errors.For("workingHours.end").Should().ContainSingle().Which.Should().Contain("after the start");

        var capitalised = new ValidationErrors();
        ResponseDeadline.Validate(new Team { WorkingHours = Hours("09:00", "09:00", "Monday") }, capitalised);
        capitalised.Fields.Should().BeEquivalentTo("workingHours.days", "workingHours.end");
    }

    [Fact]
    public void A_negative_count_of_reassignments_is_refused()
    {
        var errors = new ValidationErrors();
        ResponseDeadline.Validate(new Team { MaxReassignments = -1 }, errors);
        errors.Fields.Should().Equal("maxReassignments");
    }
}
