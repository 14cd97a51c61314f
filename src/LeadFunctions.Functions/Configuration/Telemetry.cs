using System.Diagnostics;
using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;

namespace LeadFunctions.Functions.Configuration;

/// <summary>
/// Traces, requests, dependencies and logs to Application Insights through OpenTelemetry, on
/// when a connection string is set (SPEC 7). Each host adds its own request spans: the worker
/// through UseFunctionsWorkerDefaults, the local host through ASP.NET Core's instrumentation.
/// </summary>
public static class Telemetry
{
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>"Authorization=AAD;ClientId=…": the Functions host's setting for Entra ingestion, read here the same way.</summary>
    public const string AuthenticationSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>The OpenTelemetry builder, or null when no connection string is set (nothing is collected).</summary>
    public static OpenTelemetryBuilder? AddLeadFunctionsTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        if (configuration[ConnectionStringSetting] is not { Length: > 0 } connectionString)
        {
            return null;
        }

        // The Azure SDK emits its storage calls as activities only when asked to.
        AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);
        var builder = services.AddOpenTelemetry();
        // The Azure SDK traces its own HTTP calls; HttpClient's span under it would count each storage call twice.
        // Redaction comes first: the exporter's processors join when the host starts, after every one added here.
        builder.WithTracing(tracing => tracing.AddProcessor(new TelemetryRedaction.SpanProcessor()).AddSource("Azure.*").AddHttpClientInstrumentation(options =>
            options.FilterHttpRequestMessage = _ => Activity.Current?.Parent?.Source.Name != "Azure.Core.Http"));
        // Scopes carry the record and merge ids (LogScope) into every log record's attributes.
        builder.WithLogging(logging => logging.AddProcessor(new TelemetryRedaction.LogProcessor()), options => options.IncludeScopes = true);
        var credential = IngestionCredential(configuration);
        // The overload without options is the one that reads the exporter's documented settings
        // (OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG, the AzureMonitorExporter section); ours come after them.
        builder.UseAzureMonitorExporter();
        builder.Services.Configure<AzureMonitorExporterOptions>(options =>
        {
            options.ConnectionString = connectionString;
            if (credential is not null)
            {
                options.Credential = credential;
            }
        });
        return builder;
    }

    /// <summary>
    /// With local authentication off, Application Insights takes only Entra tokens: the managed
    /// identity named by the authentication string (the user-assigned one the template creates).
    /// </summary>
    public static TokenCredential? IngestionCredential(IConfiguration configuration)
    {
        if (configuration[AuthenticationSetting] is not { Length: > 0 } authentication)
        {
            return null;
        }

        var parts = authentication.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("Authorization", out var kind) || !string.Equals(kind, "AAD", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return parts.TryGetValue("ClientId", out var clientId) && clientId.Length > 0
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
    }
}
