using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;

namespace LeadFunctions.Infrastructure.Tables;

/// <summary>
/// The storage account, read from <c>AzureWebJobsStorage</c> as the Functions host reads it: a
/// connection string (Azurite, or an account with keys), or an identity-based connection
/// (<c>__accountName</c> or <c>__tableServiceUri</c>/<c>__queueServiceUri</c>, with
/// <c>__credential</c>, <c>__clientId</c>… chosen by the same Microsoft.Extensions.Azure factory
/// the host uses, so a user-assigned identity reaches storage the same way for both).
/// </summary>
public sealed class StorageConnection
{
    public const string Setting = "AzureWebJobsStorage";

    private IConfigurationSection? section;

    /// <summary>The connection string when one is configured; null for an identity-based connection.</summary>
    public string? ConnectionString { get; private set; }

    /// <summary>What is wrong with the configuration, naming the setting; null when it is usable.</summary>
    public string? Problem { get; private set; }

    /// <summary>The connection named <paramref name="setting"/> (a trigger's Connection), AzureWebJobsStorage by default.</summary>
    public static StorageConnection From(IConfiguration configuration, string setting = Setting)
    {
        var connection = new StorageConnection();
        connection.Read(configuration, setting);
        return connection;
    }

    /// <summary>Reads the connection into this instance: for the options pattern, which makes the instance first (<see cref="From"/> otherwise).</summary>
    public void Read(IConfiguration configuration, string setting = Setting)
    {
        // As the host does, a name "X" may also be given as the setting "AzureWebJobsX".
        section = configuration.GetSection(setting);
        if (section.Value is null && !section.GetChildren().Any() && !setting.StartsWith("AzureWebJobs", StringComparison.Ordinal))
        {
            section = configuration.GetSection("AzureWebJobs" + setting);
        }
        ConnectionString = section.Value is { Length: > 0 } value ? value : null;
        Problem = ConnectionString is not null ? ConnectionStringProblem(ConnectionString) : IdentityProblem(section);
    }

    /// <summary>The credential the identity settings ask for (DefaultAzureCredential when they name none).</summary>
    public TokenCredential CreateCredential(AzureComponentFactory factory) => factory.CreateTokenCredential(Section);

    public TableServiceClient CreateTables(AzureComponentFactory factory, StorageRequests? requests = null)
    {
        var options = new TableClientOptions();
        requests?.CountOn(options, "table");
        return ConnectionString is { } connection
            ? new TableServiceClient(connection, options)
            : new TableServiceClient(ServiceUri("table"), CreateCredential(factory), options);
    }

    /// <param name="encoding">Base64 by default, as the Functions host expects queue messages; the local host's listener reads raw text.</param>
    public QueueServiceClient CreateQueues(AzureComponentFactory factory, StorageRequests? requests = null, QueueMessageEncoding encoding = QueueMessageEncoding.Base64)
    {
        var options = new QueueClientOptions { MessageEncoding = encoding };
        requests?.CountOn(options, "queue");
        return ConnectionString is { } connection
            ? new QueueServiceClient(connection, options)
            : new QueueServiceClient(ServiceUri("queue"), CreateCredential(factory), options);
    }

    /// <summary>As the host's storage extensions read it: <c>accountName</c> first (public cloud), then <c>{service}ServiceUri</c>.</summary>
    public Uri ServiceUri(string service)
    {
        if (Section["accountName"] is { Length: > 0 } account)
        {
            return new Uri($"https://{account}.{service}.core.windows.net");
        }
        return Section[$"{service}ServiceUri"] is { Length: > 0 } uri
            ? new Uri(uri)
            : throw new InvalidOperationException(Problem ?? $"No {service} service is configured in {Setting}.");
    }

    private IConfigurationSection Section => section ?? throw new InvalidOperationException("Not read yet.");

    private static string? ConnectionStringProblem(string connection)
    {
        try
        {
            _ = new TableServiceClient(connection);
            _ = new QueueServiceClient(connection);
            return null;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            // The value is a secret: say what is wrong, never echo it.
            return $"{AppSettings.Named(Setting)} is not a storage connection string ({e.GetType().Name}). Give a connection string, or {Setting}__accountName for a managed identity.";
        }
    }

    private static string? IdentityProblem(IConfigurationSection section)
    {
        foreach (var service in new[] { "table", "queue" })
        {
            var key = $"{service}ServiceUri";
            if (section[key] is { Length: > 0 } uri)
            {
                if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("https" or "http"))
                {
                    return $"{AppSettings.Named($"{Setting}:{key}")} is '{uri}', not an absolute http(s) address.";
                }
            }
            else if (section["accountName"] is not { Length: > 0 })
            {
                return $"No storage is configured: set {Setting} to a connection string, or {Setting}__accountName (or __{key}) for a managed identity.";
            }
        }
        return null;
    }
}
