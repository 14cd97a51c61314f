using Azure.Data.Tables;
using Azure.Storage.Queues;
using LeadFunctions.Azurite;
using LeadFunctions.Infrastructure.Tables;

[assembly: AssemblyFixture(typeof(LeadFunctions.Infrastructure.Tests.SharedAzurite))]

namespace LeadFunctions.Infrastructure.Tests;

/// <summary>
/// One in-memory Azurite for the whole test assembly. Tests share it, so each one works on data of
/// its own (fresh ids, unique emails, IPs and contacts, or a table of its own).
/// </summary>
public sealed class SharedAzurite : IAsyncLifetime
{
    private AzuriteProcess? azurite;

    public string ConnectionString => (azurite ?? throw new InvalidOperationException("Not started.")).ConnectionString;

    public TableServiceClient Tables => new(ConnectionString);

    /// <summary>The clients one function instance would have: its own, on the shared storage.</summary>
    public StorageClients NewClients() => new(
        new TableServiceClient(ConnectionString),
        new QueueServiceClient(ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }));

    /// <summary>A table of the caller's own, created empty.</summary>
    public async Task<TableClient> NewTableAsync(string prefix)
    {
        var table = Tables.GetTableClient(prefix + Guid.NewGuid().ToString("N")[..12]);
        await table.CreateAsync(TestContext.Current.CancellationToken);
        return table;
    }

    public async ValueTask InitializeAsync() =>
        azurite = await AzuriteProcess.StartAsync(AzuriteOptions.InMemoryOnFreePorts, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (azurite is not null)
        {
            await azurite.DisposeAsync();
        }
    }
}
