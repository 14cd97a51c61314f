using System.Net;
using System.Text;
using Azure.Data.Tables;
using LeadFunctions.Infrastructure.Idempotency;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.Extensions.DependencyInjection;

namespace LeadFunctions.Functions.Tests.Features.Erasure;

/// <summary>
/// The Idempotency-Key rows of the creates that made a person's record, a note on it and their
/// customer name those ids: the erasure deletes them (SPEC 4.5), and leaves other people's.
/// </summary>
public sealed class ErasureOfIdempotencyKeysTests() : ErasureHost(null)
{
    private async Task<string> PostAsync(string path, string json, string key, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await Client.SendAsync(request, Ct);
        await response.ShouldHaveStatusAsync(expected);
        return (await response.JsonAsync())["id"]!.GetValue<string>();
    }

    [Fact]
    public async Task An_erasure_deletes_the_key_rows_naming_their_record_note_and_customer()
    {
        var domain = Api.UniqueDomain();
        var lead = await PostAsync("leads", $"{{\"name\":\"Ida\",\"email\":\"ida@{domain}\"}}", "lead-key", HttpStatusCode.Created);
        await PostAsync($"leads/{lead}/notes", "{\"message\":\"Called Ida.\"}", "note-key", HttpStatusCode.Created);
        await PostAsync("customers", $"{{\"kind\":\"person\",\"name\":\"Ida\",\"email\":\"ida@{domain}\"}}", "customer-key", HttpStatusCode.Created);
        var other = await PostAsync("leads", $"{{\"name\":\"Olaf\",\"email\":\"olaf@{domain}\"}}", "other-key", HttpStatusCode.Created);
        var keys = Host.Services.GetRequiredService<StorageClients>().Idempotency;
        (await keys.QueryAsync<TableEntity>(cancellationToken: Ct).ToListAsync(Ct)).Should().HaveCount(4);

        var receipt = await EraseAsync(new { email = $"ida@{domain}" });

        receipt["counts"]!["idempotencyKeys"]!.GetValue<int>().Should().Be(3);
        var left = await keys.QueryAsync<TableEntity>(cancellationToken: Ct).ToListAsync(Ct);
        left.Should().ContainSingle().Which.GetString(IdempotencyKeys.ResourceColumn).Should().Be(other);
    }
}
