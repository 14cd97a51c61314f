using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Queues;
using LeadFunctions.Domain.Matching;
using LeadFunctions.Storage;
using LeadFunctions.Storage.Conversion;
using LeadFunctions.Storage.Merging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LeadFunctions.Functions;

/// <summary>The one place services are registered: the function app's Program.cs and the local host both call it.</summary>
public static class ServiceCollectionExtensions
{
    public const string StorageSetting = "AzureWebJobsStorage";

    public static IServiceCollection AddLeadFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMemoryCache();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => new PhoneNumbers(configuration["Leads:DefaultPhoneRegion"] is { Length: > 0 } region ? region : "US"));
        services.AddSingleton<MatchKeys>();
        services.AddOptions<CaptureOptions>().Configure(options => BindCapture(configuration.GetSection("Capture"), options));

        services.AddSingleton(_ => CreateTableService(configuration));
        services.AddSingleton(_ => CreateQueueService(configuration));
        services.AddSingleton<StorageClients>();
        services.AddSingleton<LeadStore>();
        services.AddSingleton<DirectoryStore>();
        services.AddSingleton<MatchIndex>();
        services.AddSingleton<IngestQueue>();
        services.AddSingleton<IngestProcessor>();
        services.AddSingleton<LeadService>();
        services.AddSingleton<DirectoryService>();
        services.AddSingleton<CaptureGuard>();
        services.AddSingleton<CaptureService>();
        services.AddOptions<MergeSettings>().Bind(configuration.GetSection("Merges"));
        services.AddSingleton<WriteFaults>();
        services.AddSingleton<MergeStore>();
        services.AddSingleton<MergeService>();
        services.AddSingleton<ConversionService>();
        return services;
    }

    /// <summary>
    /// App settings are flat strings in Azure, so the allowed origins may come as one
    /// comma-separated value as well as a list.
    /// </summary>
    private static void BindCapture(IConfigurationSection section, CaptureOptions options)
    {
        section.Bind(options, binder => binder.ErrorOnUnknownConfiguration = false);
        var origins = section.GetSection("AllowedOrigins");
        var list = origins.Value is { Length: > 0 } flat
            ? flat.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : origins.GetChildren().Select(c => c.Value).OfType<string>();
        options.AllowedOrigins = list.Select(o => o.TrimEnd('/')).ToArray();
    }

    // A connection string (Azurite, or a key-based account), or an identity-based connection
    // (AzureWebJobsStorage__accountName / __tableServiceUri) as the Azure host supports it.
    private static TableServiceClient CreateTableService(IConfiguration configuration) =>
        configuration[StorageSetting] is { Length: > 0 } connection
            ? new TableServiceClient(connection)
            : new TableServiceClient(ServiceUri(configuration, "table"), Credential());

    private static QueueServiceClient CreateQueueService(IConfiguration configuration)
    {
        // Base64, as the Functions host expects queue messages by default.
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        return configuration[StorageSetting] is { Length: > 0 } connection
            ? new QueueServiceClient(connection, options)
            : new QueueServiceClient(ServiceUri(configuration, "queue"), Credential(), options);
    }

    private static Uri ServiceUri(IConfiguration configuration, string service)
    {
        var section = configuration.GetSection(StorageSetting);
        if (section[$"{service}ServiceUri"] is { Length: > 0 } uri)
        {
            return new Uri(uri);
        }
        return section["accountName"] is { Length: > 0 } account
            ? new Uri($"https://{account}.{service}.core.windows.net")
            : throw new InvalidOperationException(
                $"No storage is configured: set {StorageSetting} to a connection string, or {StorageSetting}__accountName for a managed identity.");
    }

    private static DefaultAzureCredential Credential() => new();
}
