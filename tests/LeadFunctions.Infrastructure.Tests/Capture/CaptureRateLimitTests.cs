using Azure.Data.Tables;
using LeadFunctions.Infrastructure.Capture;
using Microsoft.Extensions.Time.Testing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace LeadFunctions.Infrastructure.Tests.Capture;

/// <summary>
/// The capture rate limit: exact on one instance with no storage request on the request path,
/// and held across instances through the shared rows that each instance's sync writes. Each limit
/// here stands for one function instance, with its own clients and counters, on the shared storage;
/// the tests sync where the background sync would have run.
/// </summary>
public sealed class CaptureRateLimitTests(SharedAzurite azurite)
{
    private const int Limit = 5;

    // Five seconds into a minute, so that the refusal's Retry-After is the 55 s left of it.
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2031, 3, 4, 10, 20, 5, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_instances_that_sync_together_allow_the_limit_per_minute_per_ip_and_refuse_the_next_with_a_retry_after()
    {
        var (one, two) = (NewInstance(), NewInstance());
        var ip = UniqueIpV4();

        var decisions = new List<RateDecision>();
        for (var i = 0; i < Limit; i++)
        {
            var instance = i % 2 == 0 ? one : two;
            decisions.Add(instance.TryAcquire(ip));
            await instance.SyncAsync(Ct);
        }
        var refusedByOne = one.TryAcquire(ip);

        decisions.Should().AllSatisfy(d => d.Allowed.Should().BeTrue());
        refusedByOne.Allowed.Should().BeFalse("the instance that wrote last knows the whole count");
        refusedByOne.RetryAfter.Should().Be(TimeSpan.FromSeconds(55));
        two.TryAcquire(ip).Allowed.Should().BeTrue("the other learns the last count at its next sync");
        await two.SyncAsync(Ct);
        var refusedByTwo = two.TryAcquire(ip);
        refusedByTwo.Allowed.Should().BeFalse();
        refusedByTwo.RetryAfter.Should().BePositive();
        (await StoredCountAsync(ip)).Should().Be(Limit + 1);
    }

    [Fact]
    public async Task An_instance_that_counted_first_learns_what_the_other_counted_at_its_next_sync()
    {
        var (one, two) = (NewInstance(), NewInstance());
        var ip = UniqueIpV4();

        one.TryAcquire(ip).Allowed.Should().BeTrue();
        await one.SyncAsync(Ct);
        for (var i = 1; i < Limit; i++)
        {
            two.TryAcquire(ip).Allowed.Should().BeTrue();
        }
        await two.SyncAsync(Ct);
        one.TryAcquire(ip).Allowed.Should().BeTrue("the instance has not synced since: it knows only its own count");
        await one.SyncAsync(Ct);

        one.TryAcquire(ip).Allowed.Should().BeFalse("the sync added both instances' counts");
        (await StoredCountAsync(ip)).Should().Be(Limit + 1, "every capture let through is counted once in storage");
    }

    [Fact]
    public async Task Concurrent_requests_on_one_instance_never_get_more_than_the_limit_and_cost_no_storage_request()
    {
        var limit = NewInstance();
        var ip = UniqueIpV4();

        var decisions = await Task.WhenAll(Enumerable.Range(0, 4 * Limit).Select(_ => Task.Run(() => limit.TryAcquire(ip), Ct)));

        decisions.Count(d => d.Allowed).Should().Be(Limit);
        decisions.Where(d => !d.Allowed).Should().AllSatisfy(d => d.RetryAfter.Should().BePositive());
        (await StoredCountAsync(ip)).Should().BeNull("nothing is written until the sync");
        await limit.SyncAsync(Ct);
        (await StoredCountAsync(ip)).Should().Be(Limit);
    }

    [Fact]
    public async Task Concurrent_syncs_of_two_instances_add_up_every_count()
    {
        var (one, two) = (NewInstance(), NewInstance());
        var ips = Enumerable.Range(0, 150).Select(_ => UniqueIpV4()).Distinct().ToList();
        foreach (var ip in ips)
        {
            one.TryAcquire(ip);
            two.TryAcquire(ip);
            two.TryAcquire(ip);
        }

        await Task.WhenAll(one.SyncAsync(Ct), two.SyncAsync(Ct));

        foreach (var ip in ips.Take(20))
        {
            (await StoredCountAsync(ip)).Should().Be(3);
        }
        (await StoredCountAsync(ips[^1])).Should().Be(3);
    }

    [Fact]
    public async Task A_new_minute_allows_again()
    {
        var (one, two) = (NewInstance(), NewInstance());
        var ip = UniqueIpV4();
        for (var i = 0; i < Limit; i++)
        {
            one.TryAcquire(ip).Allowed.Should().BeTrue();
        }
        await one.SyncAsync(Ct);
        two.TryAcquire(ip);
        await two.SyncAsync(Ct);
        two.TryAcquire(ip).Allowed.Should().BeFalse();

        clock.Advance(TimeSpan.FromMinutes(1));

        for (var i = 0; i < Limit; i++)
        {
            (i % 2 == 0 ? two : one).TryAcquire(ip).Allowed.Should().BeTrue();
        }
        await Task.WhenAll(one.SyncAsync(Ct), two.SyncAsync(Ct));
        (await StoredCountAsync(ip)).Should().Be(Limit, "the new minute counts from zero");
        one.TryAcquire(ip);
        two.TryAcquire(ip);
        await Task.WhenAll(one.SyncAsync(Ct), two.SyncAsync(Ct));
        one.TryAcquire(ip).Allowed.Should().BeFalse();
        two.TryAcquire(ip).Allowed.Should().BeFalse();
    }

    [Fact]
    public void The_refusal_asks_to_wait_until_the_minute_ends()
    {
        var limit = NewInstance();
        var ip = UniqueIpV4();
        clock.Advance(TimeSpan.FromSeconds(54));
        for (var i = 0; i < Limit; i++)
        {
            limit.TryAcquire(ip);
        }

        var refused = limit.TryAcquire(ip);

        refused.Allowed.Should().BeFalse();
        refused.RetryAfter.Should().Be(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Different_ips_are_counted_apart_ipv6_and_zones_included()
    {
        var (one, two) = (NewInstance(), NewInstance());
        var suffix = Random.Shared.Next(0x1000, 0xffff).ToString("x");
        var busy = new[] { UniqueIpV4(), $"2001:db8:{suffix}::1", $"fe80::{suffix}%eth0" };
        foreach (var address in busy)
        {
            for (var i = 0; i < Limit; i++)
            {
                one.TryAcquire(address).Allowed.Should().BeTrue();
            }
        }
        await one.SyncAsync(Ct);
        foreach (var address in busy)
        {
            two.TryAcquire(address);
        }
        await two.SyncAsync(Ct);

        busy.Should().AllSatisfy(address => two.TryAcquire(address).Allowed.Should().BeFalse());
        two.TryAcquire($"2001:db8:{suffix}::2").Allowed.Should().BeTrue();
        two.TryAcquire(UniqueIpV4()).Allowed.Should().BeTrue();
    }

    private CaptureRateLimit NewInstance() => new(
        azurite.NewClients(), clock, MsOptions.Create(new CaptureOptions { RateLimitPerMinute = Limit }));

    private async Task<int?> StoredCountAsync(string ip)
    {
        var row = await azurite.NewClients().Capture.GetEntityIfExistsAsync<TableEntity>(
            CaptureRateLimit.PartitionOf(clock.GetUtcNow().ToUnixTimeSeconds() / 60), ip, cancellationToken: Ct);
        return row.HasValue ? row.Value!.GetInt32("Count") : null;
    }

    private static string UniqueIpV4() => $"10.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}";
}
