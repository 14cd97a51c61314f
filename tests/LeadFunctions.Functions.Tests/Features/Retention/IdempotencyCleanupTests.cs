using System.Net;
using System.Text;
using Azure.Data.Tables;
using LeadFunctions.Functions.Features.Retention;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LeadFunctions.Functions.Tests.Features.Retention;

/// <summary>
/// Idempotency-Key rows of the creates expire after Retention:IdempotencyKeys (a second here): the
/// clean-up deletes them, and the key then makes a new resource, as a key used for the first time.
/// </summary>
public sealed class IdempotencyCleanupTests() : IsolatedHostTests(queues: false, settings: new Dictionary<string, string?>
{
    ["Retention:Schedule"] = "0 0 0 1 1 *",
    ["Retention:IdempotencyKeys"] = "00:00:01",
})
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TableClient Keys =>
        new(Host.Services.GetRequiredService<IOptions<StorageConnection>>().Value.ConnectionString, StorageNames.IdempotencyTable);

    private async Task<string> CreateTeamAsync(string name, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "teams") { Content = new StringContent($"{{\"name\":\"{name}\"}}", Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await Client.SendAsync(request, Ct);
        await response.ShouldHaveStatusAsync(HttpStatusCode.Created);
        return (await response.JsonAsync())["id"]!.GetValue<string>();
    }

    [Fact]
    public async Task Expired_keys_are_deleted_by_the_clean_up_and_the_key_is_then_new()
    {
        var first = await CreateTeamAsync("Expiring", "expiring-key");
        (await Keys.QueryAsync<TableEntity>(cancellationToken: Ct).ToListAsync(Ct)).Should().ContainSingle();

        // The row expires a second after its claim: passes run until one finds it expired.
        var deadline = DateTimeOffset.UtcNow + Api.Patience;
        var deleted = 0;
        while (deleted == 0 && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), Ct);
            deleted = (await Host.Services.GetRequiredService<CleanupService>().RunAsync(Ct)).IdempotencyKeys;
        }

        deleted.Should().Be(1);
        (await Keys.QueryAsync<TableEntity>(cancellationToken: Ct).ToListAsync(Ct)).Should().BeEmpty();
        var second = await CreateTeamAsync("Expiring", "expiring-key");
        second.Should().NotBe(first, "an expired key is a new request");
    }
}
