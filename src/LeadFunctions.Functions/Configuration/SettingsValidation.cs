using LeadFunctions.Functions.Features.Ingest;
using LeadFunctions.Functions.Features.Leads;
using LeadFunctions.Functions.Features.Merges;
using LeadFunctions.Functions.Features.Retention;
using LeadFunctions.Infrastructure.Capture;
using LeadFunctions.Infrastructure.Outbox;
using LeadFunctions.Infrastructure.Secrets;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using static LeadFunctions.Infrastructure.AppSettings;

namespace LeadFunctions.Functions.Configuration;

/// <summary>
/// Binds every setting of the README and checks it when the host starts (ValidateOnStart), so that
/// a wrong value stops the app with the setting's name instead of failing each request later.
/// </summary>
public static partial class SettingsValidation
{
    public static IServiceCollection AddCheckedSettings(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LeadsOptions>().Configure(o => Bind(configuration, "Leads", o)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LeadsOptions>, LeadsRules>();
        services.AddOptions<IngestOptions>().Configure(o => Bind(configuration, "Ingest", o)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<IngestOptions>, IngestRules>();
        services.AddOptions<CaptureOptions>().Configure(o => BindCapture(configuration, o)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CaptureOptions>, CaptureRules>();
        services.AddOptions<MergeSettings>().Configure(o => Bind(configuration, "Merges", o)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MergeSettings>>(s => new MergeRules(s.GetService<IHostEnvironment>()));
        services.AddOptions<EventsOptions>().Configure(o => Bind(configuration, "Events", o)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EventsOptions>, EventsRules>();
        services.AddOptions<Features.Erasure.ErasureOptions>().Configure(o => Bind(configuration, "Erasure", o)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<Features.Erasure.ErasureOptions>, ErasureRules>();
        services.AddOptions<RetentionOptions>().Configure(o => Bind(configuration, "Retention", o)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RetentionOptions>, RetentionRules>();
        services.AddOptions<SecretsOptions>().Configure(o => Bind(configuration, "DataProtection", o)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecretsOptions>, SecretsRules>();
        services.AddOptions<Features.Access.AuthOptions>().Configure(o => Bind(configuration, "Auth", o)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<Features.Access.AuthOptions>, AuthRules>();
        services.AddOptions<StorageConnection>().Configure(o => o.Read(configuration)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageConnection>, StorageRules>();
        return services;
    }

    /// <summary>The events section as the start-up check reads it (the sinks registered depend on it).</summary>
    public static EventsOptions ReadEvents(IConfiguration configuration)
    {
        var options = new EventsOptions();
        Bind(configuration, "Events", options);
        return options;
    }

    private static void Bind(IConfiguration configuration, string section, object options)
    {
        try
        {
            configuration.GetSection(section).Bind(options, binder => binder.ErrorOnUnknownConfiguration = false);
        }
        catch (InvalidOperationException e)
        {
            // The binder's message names the key ("… at 'Capture:RateLimitPerMinute' to type …"); add the app setting form.
            var key = System.Text.RegularExpressions.Regex.Match(e.Message, "at '([^']+)'") is { Success: true } match ? match.Groups[1].Value : section;
            throw new OptionsValidationException(section, options.GetType(), [$"{Named(key)}: {e.Message}{Choices(e.Message, options)}"]);
        }
    }

    /// <summary>The names a setting of an enum type takes, when that is what failed: the binder's message names only the type.</summary>
    private static string Choices(string message, object options) =>
        System.Text.RegularExpressions.Regex.Match(message, "to type '([^']+)'") is { Success: true } match
        && options.GetType().Assembly.GetType(match.Groups[1].Value) is { IsEnum: true } type
            ? $" Give {string.Join(" or ", Enum.GetNames(type))}."
            : "";

    /// <summary>
    /// App settings are flat strings in Azure, so the allowed origins may come as one
    /// comma-separated value as well as a list (the binder reads only the list form).
    /// </summary>
    private static void BindCapture(IConfiguration configuration, CaptureOptions options)
    {
        Bind(configuration, "Capture", options);
        var origins = configuration.GetSection("Capture:AllowedOrigins");
        var list = origins.Value is { Length: > 0 } flat
            ? flat.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : origins.GetChildren().Select(c => c.Value).OfType<string>().ToArray();
        options.AllowedOrigins = list.Select(o => o.TrimEnd('/')).ToArray();
        // App Service (and Flex Consumption) sets WEBSITE_INSTANCE_ID on every instance; its front end sets X-Client-IP.
        options.ClientAddressHeader ??= string.IsNullOrEmpty(configuration["WEBSITE_INSTANCE_ID"]) ? "" : Http.ClientAddress.AppServiceHeader;
    }
}
