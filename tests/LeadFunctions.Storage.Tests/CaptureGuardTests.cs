using LeadFunctions.Domain;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Time.Testing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace LeadFunctions.Storage.Tests;

/// <summary>
/// The capture guards across instances: each guard here stands for one function instance, with its
/// own clients and its own memory cache, on the shared storage.
/// </summary>
public sealed class CaptureGuardTests(SharedAzurite azurite)
{
    private const int Limit = 5;

    // Five seconds into a minute, so that the refusal's Retry-After is the 55 s left of it.
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2031, 3, 4, 10, 20, 5, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_instances_together_allow_the_limit_per_minute_per_ip_and_refuse_the_next_with_a_retry_after()
    {
        var (one, two) = (NewInstance(), NewInstance());
        var ip = UniqueIpV4();

        var decisions = new List<RateDecision>();
        for (var i = 0; i < Limit; i++)
        {
            decisions.Add(await (i % 2 == 0 ? one : two).TryAcquireAsync(ip, Ct));
        }
        var refusedByOne = await one.TryAcquireAsync(ip, Ct);
        var refusedByTwo = await two.TryAcquireAsync(ip, Ct);

        decisions.Should().AllSatisfy(d => d.Allowed.Should().BeTrue());
        refusedByOne.Allowed.Should().BeFalse();
        refusedByOne.RetryAfter.Should().Be(TimeSpan.FromSeconds(55));
        refusedByTwo.Allowed.Should().BeFalse();
        refusedByTwo.RetryAfter.Should().BePositive();
    }

    [Fact]
    public async Task An_instance_that_counted_first_still_sees_what_the_other_counted_since()
    {
        var (one, two) = (NewInstance(), NewInstance());
        var ip = UniqueIpV4();

        (await one.TryAcquireAsync(ip, Ct)).Allowed.Should().BeTrue();
        for (var i = 1; i < Limit; i++)
        {
            (await two.TryAcquireAsync(ip, Ct)).Allowed.Should().BeTrue();
        }

        (await one.TryAcquireAsync(ip, Ct)).Allowed.Should().BeFalse("the instance's cached count is stale, storage is not");
    }

    [Fact]
    public async Task Concurrent_requests_on_two_instances_never_get_more_than_the_limit()
    {
        var (one, two) = (NewInstance(), NewInstance());
        var ip = UniqueIpV4();

        var decisions = await Task.WhenAll(Enumerable.Range(0, 4 * Limit).Select(i => (i % 2 == 0 ? one : two).TryAcquireAsync(ip, Ct)));

        decisions.Count(d => d.Allowed).Should().Be(Limit);
        decisions.Where(d => !d.Allowed).Should().AllSatisfy(d => d.RetryAfter.Should().BePositive());
    }

    [Fact]
    public async Task A_new_minute_allows_again()
    {
        var (one, two) = (NewInstance(), NewInstance());
        var ip = UniqueIpV4();
        for (var i = 0; i < Limit; i++)
        {
            (await one.TryAcquireAsync(ip, Ct)).Allowed.Should().BeTrue();
        }
        (await two.TryAcquireAsync(ip, Ct)).Allowed.Should().BeFalse();

        clock.Advance(TimeSpan.FromMinutes(1));

        var decisions = new List<RateDecision>();
        for (var i = 0; i < Limit; i++)
        {
            decisions.Add(await (i % 2 == 0 ? two : one).TryAcquireAsync(ip, Ct));
        }
        decisions.Should().AllSatisfy(d => d.Allowed.Should().BeTrue());
        (await one.TryAcquireAsync(ip, Ct)).Allowed.Should().BeFalse();
        (await two.TryAcquireAsync(ip, Ct)).Allowed.Should().BeFalse();
    }

    [Fact]
    public async Task The_refusal_asks_to_wait_until_the_minute_ends()
    {
        var guard = NewInstance();
        var ip = UniqueIpV4();
        clock.Advance(TimeSpan.FromSeconds(54));
        for (var i = 0; i < Limit; i++)
        {
            await guard.TryAcquireAsync(ip, Ct);
        }

        var refused = await guard.TryAcquireAsync(ip, Ct);

        refused.Allowed.Should().BeFalse();
        refused.RetryAfter.Should().Be(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Different_ips_are_counted_apart()
    {
        var (one, two) = (NewInstance(), NewInstance());
        var (busy, quiet) = (UniqueIpV4(), UniqueIpV4());
        for (var i = 0; i < Limit; i++)
        {
            await one.TryAcquireAsync(busy, Ct);
        }

        (await two.TryAcquireAsync(busy, Ct)).Allowed.Should().BeFalse();
        (await two.TryAcquireAsync(quiet, Ct)).Allowed.Should().BeTrue();
        (await one.TryAcquireAsync(quiet, Ct)).Allowed.Should().BeTrue();
    }

    [Fact]
    public async Task Ipv6_addresses_with_colons_and_zones_are_limited_and_counted_apart()
    {
        var (one, two) = (NewInstance(), NewInstance());
        var suffix = Random.Shared.Next(0x1000, 0xffff).ToString("x");
        var ip = $"2001:db8:{suffix}::1";
        var neighbour = $"2001:db8:{suffix}::2";
        var zoned = $"fe80::{suffix}%eth0";

        foreach (var address in new[] { ip, zoned })
        {
            for (var i = 0; i < Limit; i++)
            {
                (await (i % 2 == 0 ? one : two).TryAcquireAsync(address, Ct)).Allowed.Should().BeTrue();
            }
            (await one.TryAcquireAsync(address, Ct)).Allowed.Should().BeFalse();
            (await two.TryAcquireAsync(address, Ct)).Allowed.Should().BeFalse();
        }
        (await two.TryAcquireAsync(neighbour, Ct)).Allowed.Should().BeTrue();
    }

    [Fact]
    public async Task The_same_idempotency_key_returns_the_first_id_whatever_the_content()
    {
        var (one, two) = (NewInstance(), NewInstance());
        var contact = UniqueContact();
        var key = "key/with#odd?chars " + Guid.NewGuid();
        var firstId = Ids.New();

        (await one.ClaimAsync(contact, key, Fingerprint(), firstId, Ct)).Should().BeNull();
        (await two.ClaimAsync(contact, key, Fingerprint(), Ids.New(), Ct)).Should().Be(firstId);
        clock.Advance(TimeSpan.FromHours(1));
        (await one.ClaimAsync(contact, key, Fingerprint(), Ids.New(), Ct)).Should().Be(firstId, "an idempotency key does not expire with the repeat window");
    }

    [Fact]
    public async Task The_same_content_within_the_window_returns_the_first_id()
    {
        var (one, two) = (NewInstance(), NewInstance());
        var contact = UniqueContact();
        var fingerprint = Fingerprint();
        var firstId = Ids.New();

        (await one.ClaimAsync(contact, null, fingerprint, firstId, Ct)).Should().BeNull();
        clock.Advance(TimeSpan.FromMinutes(9));
        (await two.ClaimAsync(contact, null, fingerprint, Ids.New(), Ct)).Should().Be(firstId);
        (await one.ClaimAsync(contact, "another key", fingerprint, Ids.New(), Ct)).Should().Be(firstId);
        clock.Advance(TimeSpan.FromMinutes(1));
        (await two.ClaimAsync(contact, null, fingerprint, Ids.New(), Ct)).Should().Be(firstId, "the window is 10 minutes, inclusive");
    }

    [Fact]
    public async Task The_same_content_after_the_window_is_a_new_capture_and_takes_the_claim_over()
    {
        var (one, two) = (NewInstance(), NewInstance());
        var contact = UniqueContact();
        var fingerprint = Fingerprint();
        var firstId = Ids.New();
        var secondId = Ids.New();
        (await one.ClaimAsync(contact, null, fingerprint, firstId, Ct)).Should().BeNull();

        clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));

        (await two.ClaimAsync(contact, null, fingerprint, secondId, Ct)).Should().BeNull();
        (await one.ClaimAsync(contact, null, fingerprint, Ids.New(), Ct)).Should().Be(secondId);
        clock.Advance(TimeSpan.FromMinutes(5));
        (await two.ClaimAsync(contact, null, fingerprint, Ids.New(), Ct)).Should().Be(secondId, "the window now counts from the new claim");
    }

    [Fact]
    public async Task Different_content_or_another_contact_is_a_new_capture()
    {
        var guard = NewInstance();
        var contact = UniqueContact();
        var fingerprint = Fingerprint();
        (await guard.ClaimAsync(contact, null, fingerprint, Ids.New(), Ct)).Should().BeNull();

        (await guard.ClaimAsync(contact, null, Fingerprint(), Ids.New(), Ct)).Should().BeNull();
        (await guard.ClaimAsync(UniqueContact(), null, fingerprint, Ids.New(), Ct)).Should().BeNull();
    }

    [Fact]
    public async Task Concurrent_repeats_of_one_capture_all_get_the_one_winning_id()
    {
        var (one, two) = (NewInstance(), NewInstance());
        var contact = UniqueContact();
        var fingerprint = Fingerprint();
        var ids = Enumerable.Range(0, 10).Select(_ => Ids.New()).ToList();

        var results = await Task.WhenAll(ids.Select((id, i) => (i % 2 == 0 ? one : two).ClaimAsync(contact, "same-key", fingerprint, id, Ct)));

        var winners = ids.Where((_, i) => results[i] is null).ToList();
        winners.Should().ContainSingle();
        results.Where(r => r is not null).Should().AllBe(winners[0]);
    }

    [Fact]
    public async Task Concurrent_repeats_after_the_window_let_exactly_one_take_the_claim_over()
    {
        var (one, two) = (NewInstance(), NewInstance());
        var contact = UniqueContact();
        var fingerprint = Fingerprint();
        (await one.ClaimAsync(contact, null, fingerprint, Ids.New(), Ct)).Should().BeNull();
        clock.Advance(TimeSpan.FromMinutes(11));
        var ids = Enumerable.Range(0, 8).Select(_ => Ids.New()).ToList();

        var results = await Task.WhenAll(ids.Select((id, i) => (i % 2 == 0 ? one : two).ClaimAsync(contact, null, fingerprint, id, Ct)));

        var winners = ids.Where((_, i) => results[i] is null).ToList();
        winners.Should().ContainSingle();
        results.Where(r => r is not null).Should().AllBe(winners[0]);
    }

    private CaptureGuard NewInstance() => new(
        azurite.NewClients(),
        new MemoryCache(new MemoryCacheOptions()),
        clock,
        MsOptions.Create(new CaptureOptions { RateLimitPerMinute = Limit }));

    private static string UniqueIpV4() => $"10.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}";

    private static string UniqueContact() => $"ann.{Guid.NewGuid():N}@acme.test";

    private static string Fingerprint() => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
}
