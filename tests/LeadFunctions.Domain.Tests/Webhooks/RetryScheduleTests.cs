using LeadFunctions.Domain.Webhooks;

namespace LeadFunctions.Domain.Tests.Webhooks;

public sealed class RetryScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Retries_double_from_the_first_until_the_window_ends_with_a_last_try_at_its_end()
    {
        var tries = new List<DateTimeOffset>();
        var now = Start;
        for (var attempts = 1; RetrySchedule.Next(Start, attempts, now, TimeSpan.FromSeconds(10), TimeSpan.FromHours(24)) is { } next; attempts++)
        {
            tries.Add(next);
            now = next;
        }
        tries[0].Should().Be(Start.AddSeconds(10));
        tries[1].Should().Be(Start.AddSeconds(30));
        tries[2].Should().Be(Start.AddSeconds(70));
        tries[^1].Should().Be(Start.AddHours(24), "the last try comes as the window ends");
        tries.Should().HaveCountLessThan(20, "exponential backoff makes few tries in a day");
        tries.Should().BeInAscendingOrder();
    }

    [Fact]
    public void A_failure_after_the_window_dead_letters() =>
        RetrySchedule.Next(Start, 3, Start.AddHours(24), TimeSpan.FromSeconds(10), TimeSpan.FromHours(24)).Should().BeNull();

    [Fact]
    public void Very_many_tries_do_not_overflow() =>
        RetrySchedule.Next(Start, 500, Start.AddSeconds(1), TimeSpan.FromHours(1), TimeSpan.FromDays(7)).Should().Be(Start.AddDays(7));
}
