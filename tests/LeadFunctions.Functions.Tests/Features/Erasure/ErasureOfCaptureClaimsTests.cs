using Azure.Data.Tables;
using LeadFunctions.Infrastructure.Capture;
using LeadFunctions.Infrastructure.Secrets;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.Extensions.DependencyInjection;

namespace LeadFunctions.Functions.Tests.Features.Erasure;

/// <summary>
/// Capture claims are keyed by a keyed hash of the contact, never a bare hash that a guess could
/// test; claims made under the bare hash before keyed hashes are still found and erased.
/// </summary>
public sealed class ErasureOfCaptureClaimsTests() : ErasureHost(null)
{
    [Fact]
    public async Task Claims_are_keyed_by_a_keyed_hash_and_an_erasure_takes_those_and_the_older_bare_hash_ones()
    {
        var email = $"claims@{Api.UniqueDomain()}";
        var capture = Host.Services.GetRequiredService<StorageClients>().Capture;
        var keyed = await Host.Services.GetRequiredService<CaptureGuard>().PartitionOfAsync(email);
        var legacy = CaptureGuard.ClaimPrefix + KeyedHashes.LegacyHash(email);
        await capture.CreateIfNotExistsAsync(Ct);
        await capture.AddEntityAsync(new TableEntity(legacy, CaptureGuard.ContentPrefix + "old") { [CaptureGuard.LeadIdColumn] = "x", [CaptureGuard.AtColumn] = DateTimeOffset.UtcNow }, Ct);

        var id = await Client.CaptureIdAsync(new { email, message = "Hello" });
        await Client.WaitCheckedAsync(id);

        keyed.Should().NotBe(legacy);
        (await RowsAsync(capture, keyed)).Should().BeGreaterThan(0, "the new claim is under the keyed hash");
        (await RowsAsync(capture, legacy)).Should().Be(1, "nothing new is written under the bare hash");

        var receipt = await EraseAsync(new { email });

        receipt["counts"]!["captureRows"]!.GetValue<int>().Should().BeGreaterThanOrEqualTo(2);
        (await RowsAsync(capture, keyed)).Should().Be(0);
        (await RowsAsync(capture, legacy)).Should().Be(0);
    }

    private static async Task<int> RowsAsync(TableClient table, string partition)
    {
        var count = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, cancellationToken: Ct))
        {
            count++;
        }
        return count;
    }
}
