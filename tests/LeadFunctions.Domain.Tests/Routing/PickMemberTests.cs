using LeadFunctions.Domain.Routing;
using static LeadFunctions.Domain.Tests.Routing.RoutingFixtures;

namespace LeadFunctions.Domain.Tests.Routing;

/// <summary>Which member of the team takes a record, and the words for why (SPEC 11).</summary>
public sealed class PickMemberTests
{
    [Fact]
    public void Without_limits_the_lowest_load_takes_the_record() =>
        Router.PickMember([Member("a", load: 5), Member("b", load: 3), Member("c", load: 4)], Now, Nobody)!.Person.Id.Should().Be("b");

    [Fact]
    public void Load_is_weighed_against_each_members_capacity()
    {
        var half = Member("a", load: 5, capacity: 10);
        var twoFifths = Member("b", load: 8, capacity: 20);

        Router.PickMember([half, twoFifths], Now, Nobody).Should().BeSameAs(twoFifths, "8 of 20 is less than 5 of 10 though 8 is more");
    }

    [Fact]
    public void A_member_without_a_limit_is_weighed_against_the_largest_limit()
    {
        var unlimited = Member("a", load: 10);
        Router.PickMember([unlimited, Member("b", load: 15, capacity: 40)], Now, Nobody).Should().BeSameAs(unlimited, "10 of 40 against 15 of 40");

        var lighter = Member("b", load: 9, capacity: 40);
        Router.PickMember([unlimited, lighter], Now, Nobody).Should().BeSameAs(lighter, "9 of 40 against 10 of 40");
    }

    [Fact]
    public void The_largest_limit_counts_members_who_are_passed_by()
    {
        var unlimited = Member("a", load: 10);
        var small = Member("b", load: 3, capacity: 10);
        var awayWithLargeLimit = Member("c", capacity: 100, with: p => p.AwayUntil = Now.AddDays(1));

        Router.PickMember([unlimited, small, awayWithLargeLimit], Now, Nobody).Should().BeSameAs(unlimited, "10 of 100 is less than 3 of 10");
    }

    [Fact]
    public void Equal_ratios_tie_and_go_to_the_longest_waiting()
    {
        var twoOfTen = Member("a", load: 2, capacity: 10, lastAssignedAt: Now.AddHours(-1));
        var fourOfTwenty = Member("b", load: 4, capacity: 20, lastAssignedAt: Now.AddHours(-5));
        Router.PickMember([twoOfTen, fourOfTwenty], Now, Nobody).Should().BeSameAs(fourOfTwenty);

        var oneOfThree = Member("a", load: 1, capacity: 3, lastAssignedAt: Now.AddHours(-5));
        var tenOfThirty = Member("b", load: 10, capacity: 30, lastAssignedAt: Now.AddHours(-1));
        Router.PickMember([tenOfThirty, oneOfThree], Now, Nobody).Should().BeSameAs(oneOfThree, "a third is a third, exactly");
    }

    [Fact]
    public void Ties_go_to_the_never_assigned_first_then_the_oldest_then_by_id()
    {
        var recent = Member("a", lastAssignedAt: Now.AddMinutes(-1));
        var old = Member("b", lastAssignedAt: Now.AddDays(-3));
        var never = Member("c");
        Router.PickMember([recent, old, never], Now, Nobody).Should().BeSameAs(never);
        Router.PickMember([recent, old], Now, Nobody).Should().BeSameAs(old);

        var lower = Member("b");
        var upper = Member("B");
        Router.PickMember([lower, upper], Now, Nobody).Should().BeSameAs(upper, "ids compare ordinally");
    }

    [Fact]
    public void Inactive_away_and_full_members_are_passed_by_with_the_reason()
    {
        var inactive = Member("a", with: p => p.Active = false);
        var away = Member("b", with: p => p.AwayUntil = new DateTimeOffset(2026, 12, 8, 10, 0, 0, TimeSpan.FromHours(1)));
        var full = Member("c", load: 20, capacity: 20);
        var busy = Member("d", load: 19, capacity: 20);

        Router.PickMember([inactive, away, full, busy], Now, Nobody).Should().BeSameAs(busy);
        Router.Unavailable(inactive, Now).Should().Be("inactive");
        Router.Unavailable(away, Now).Should().Be("away until 2026-12-08 09:00 UTC");
        Router.Unavailable(full, Now).Should().Be("at capacity: 20 of 20");
        Router.Unavailable(busy, Now).Should().BeNull();
        Router.IsAvailable(busy, Now).Should().BeTrue();
        Router.IsAvailable(full, Now).Should().BeFalse();
    }

    [Fact]
    public void A_member_is_back_the_moment_their_absence_ends()
    {
        var back = Member("a", with: p => p.AwayUntil = Now);

        Router.IsAvailable(back, Now).Should().BeTrue();
        Router.IsAvailable(back, Now.AddTicks(-1)).Should().BeFalse();
    }

    [Fact]
    public void An_inactive_member_reads_as_inactive_even_when_away_too() =>
        Router.Unavailable(Member("a", with: p => { p.Active = false; p.AwayUntil = Now.AddDays(1); }), Now).Should().Be("inactive");

    [Fact]
    public void Members_the_record_already_went_to_are_passed_by()
    {
        var a = Member("a");
        var b = Member("b", load: 7);

        Router.PickMember([a, b], Now, new HashSet<string> { "a" }).Should().BeSameAs(b);
        Router.PickMember([a, b], Now, new HashSet<string> { "a", "b" }).Should().BeNull();
    }

    [Fact]
    public void Nobody_available_is_no_member()
    {
        Router.PickMember([Member("a", with: p => p.Active = false), Member("b", load: 1, capacity: 1)], Now, Nobody).Should().BeNull();
        Router.PickMember([], Now, Nobody).Should().BeNull();
    }

    [Fact]
    public void The_load_reads_with_or_without_a_limit()
    {
        Router.LoadReason(Member("lea", load: 3, capacity: 20, with: p => p.Name = "Lea")).Should().Be("Lea had 3 of 20 in the last 30 days");
        Router.LoadReason(Member("tom", load: 3, with: p => p.Name = "Tom")).Should().Be("Tom had 3 in the last 30 days, no limit");
    }

    [Fact]
    public void A_burst_over_members_without_limits_spreads_evenly()
    {
        var loads = Burst([Member("a"), Member("b"), Member("c")], 500, (_, counts, _) =>
            counts.Max().Should().BeLessThanOrEqualTo(counts.Min() + 1));

        loads.Should().Equal(167, 167, 166);
    }

    [Fact]
    public void A_burst_over_members_with_limits_spreads_by_their_capacity()
    {
        int[] capacities = [100, 200, 300];
        var loads = Burst([Member("a", capacity: 100), Member("b", capacity: 200), Member("c", capacity: 300)], 500, (n, counts, _) =>
        {
            for (var i = 0; i < counts.Length; i++)
            {
                var share = n * (double)capacities[i] / capacities.Sum();
                Math.Abs(counts[i] - share).Should().BeLessThanOrEqualTo(1, $"member {i} after {n} records");
            }
        });

        loads.Should().Equal([84, 167, 249], "shares of 83⅓, 166⅔ and 250");
    }

    [Fact]
    public void A_burst_past_the_team_capacity_fills_everyone_and_then_finds_nobody()
    {
        var waiting = 0;
        var loads = Burst([Member("a", capacity: 10), Member("b", capacity: 20), Member("c", capacity: 30)], 100, (n, counts, picked) =>
        {
            if (picked is null)
            {
                waiting++;
            }
            else
            {
                for (var i = 0; i < counts.Length; i++)
                {
                    Math.Abs(counts[i] - (n * (i + 1) / 6.0)).Should().BeLessThanOrEqualTo(1, $"member {i} after {n} records");
                }
            }
        });

        loads.Should().Equal(10, 20, 30);
        waiting.Should().Be(40);
    }

    /// <summary>Assigns records one by one as the caller would, a second apart, and returns the final loads.</summary>
    private static int[] Burst(MemberLoad[] members, int records, Action<int, int[], MemberLoad?> afterEach)
    {
        var current = members.ToList();
        for (var n = 1; n <= records; n++)
        {
            var picked = Router.PickMember(current, Now, Nobody);
            if (picked is not null)
            {
                var i = current.IndexOf(picked);
                current[i] = picked with { Load = picked.Load + 1, LastAssignedAt = Now.AddSeconds(n) };
            }
            afterEach(n, [.. current.Select(m => m.Load)], picked);
        }
        return [.. current.Select(m => m.Load)];
    }
}
