using System.Net;
using System.Text;
using Azure.Data.Tables;
using LeadFunctions.Functions.Features.Retention;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LeadFunctions.Functions.Tests.Features.Retention;

/// <summary>
/// <c>Retention:Imports</c> (SPEC 4.7): a finished import's rows, refused rows and claims hold the
/// people it imported and go once the window has passed; its summary stays, and the same file is
/// then a new import. The host's timer never fires on its own: the test runs each pass it looks at.
/// </summary>
public sealed class ImportRetentionTests() : IsolatedHostTests(queues: true, settings: new Dictionary<string, string?>
{
    ["Retention:Schedule"] = "0 0 0 1 1 *",
})
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TableClient Imports =>
        new(Host.Services.GetRequiredService<IOptions<StorageConnection>>().Value.ConnectionString, StorageNames.ImportsTable);

    private CleanupService Cleanup => Host.Services.GetRequiredService<CleanupService>();

    /// <summary>The window, changed between passes: the options object is the one the clean-up reads.</summary>
    private TimeSpan Window
    {
        set => Host.Services.GetRequiredService<IOptions<RetentionOptions>>().Value.Imports = value;
    }

    [Fact]
    public async Task A_finished_import_keeps_its_rows_and_claims_for_the_window_then_only_its_summary()
    {
        var domain = Api.UniqueDomain();
        var csv = $"name,email\nAda Row,ada@{domain}\nBad Row,not-an-email\nBo Row,bo@{domain}\n";
        var id = (await PostAsync(csv))["id"]!.GetValue<string>();
        var done = await WaitDoneAsync(id);
        done["errors"]!.AsArray().Should().ContainSingle();
        var rows = await Imports.QueryAsync<TableEntity>(cancellationToken: Ct).ToListAsync(Ct);
        rows.Should().Contain(r => r.PartitionKey == id && r.RowKey.StartsWith("chunk:", StringComparison.Ordinal));
        rows.Should().Contain(r => r.PartitionKey == "claims" && r.GetString("ImportId") == id);

        Window = TimeSpan.FromDays(1);
        (await Cleanup.RunAsync(Ct)).ImportRows.Should().Be(0, "an import finished within the window keeps everything");
        (await PostAsync(csv))["id"]!.GetValue<string>().Should().Be(id, "its claims still answer a repeat");

        Window = TimeSpan.FromMilliseconds(1);
        await Api.EventuallyAsync(async () => new System.Text.Json.Nodes.JsonObject { ["deleted"] = (await Cleanup.RunAsync(Ct)).ImportRows }, r => r["deleted"]!.GetValue<int>() > 0);

        rows = await Imports.QueryAsync<TableEntity>(cancellationToken: Ct).ToListAsync(Ct);
        rows.Where(r => r.PartitionKey == id).Select(r => r.RowKey).Should().Equal(["import"], "only the summary stays");
        rows.Should().NotContain(r => r.PartitionKey == "claims" && r.GetString("ImportId") == id);
        rows.Should().NotContain(r => r.Any(column => (column.Value as string ?? "").Contains(domain, StringComparison.OrdinalIgnoreCase)), "nothing of the people imported");
        var summary = await Client.GetJsonAsync($"imports/{id}");
        summary["status"]!.GetValue<string>().Should().Be("done");
        summary["counts"]!["stored"]!.GetValue<int>().Should().Be(2);
        summary["counts"]!["failed"]!.GetValue<int>().Should().Be(1);
        (await PostAsync(csv))["id"]!.GetValue<string>().Should().NotBe(id, "with its claims gone the same file is a new import");
    }

    private async Task<System.Text.Json.Nodes.JsonObject> PostAsync(string csv)
    {
        using var response = await Client.PostAsync("imports", new StringContent(csv, Encoding.UTF8, "text/csv"), Ct);
        await response.ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        return await response.JsonAsync();
    }

    private async Task<System.Text.Json.Nodes.JsonObject> WaitDoneAsync(string id) =>
        await Api.EventuallyAsync(() => Client.GetJsonAsync($"imports/{id}"), i => i["status"]!.GetValue<string>() == "done");
}
