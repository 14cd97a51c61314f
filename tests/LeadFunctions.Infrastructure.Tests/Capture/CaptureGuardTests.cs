using LeadFunctions.Domain;
using LeadFunctions.Infrastructure.Capture;
using Microsoft.Extensions.Time.Testing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace LeadFunctions.Infrastructure.Tests.Capture;

/// <summary>
/// The capture claims across instances: each guard here stands for one function instance, with its
/// own clients, on the shared storage.
/// </summary>
public sealed class CaptureGuardTests(SharedAzurite azurite)
{
    // Five seconds into a minute, so that the refusal's Retry-After is the 55 s left of it.
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2031, 3, 4, 10, 20, 5, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

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

    private CaptureGuard NewInstance()
    {
        var clients = azurite.NewClients();
        return new(clients, Secrets.TestKeyRing.Hashes(clients), clock, MsOptions.Create(new CaptureOptions()));
    }

    private static string UniqueContact() => $"ann.{Guid.NewGuid():N}@acme.test";

    private static string Fingerprint() => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
}
