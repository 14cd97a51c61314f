using LeadFunctions.Domain.Matching;
using LeadFunctions.Functions.Features.Ingest;
using LeadFunctions.Functions.Features.Leads;
using LeadFunctions.Functions.Features.Merges;
using LeadFunctions.Functions.Features.Retention;
using LeadFunctions.Infrastructure.Capture;
using LeadFunctions.Infrastructure.Outbox;
using LeadFunctions.Infrastructure.Secrets;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using static LeadFunctions.Infrastructure.AppSettings;

namespace LeadFunctions.Functions.Configuration;

/// <summary>The start-up check of each settings section: every failure names the setting in both its forms.</summary>
public static partial class SettingsValidation
{
    private abstract class Rules<T> : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var failures = Check(options).ToList();
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }

        protected abstract IEnumerable<string> Check(T options);
    }

    private sealed class SecretsRules : Rules<SecretsOptions>
    {
        protected override IEnumerable<string> Check(SecretsOptions options)
        {
            if (options.KeyVaultUri is { Length: > 0 } vault
                && !(Uri.TryCreate(vault, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && uri.AbsolutePath == "/" && uri.Query.Length == 0))
            {
                yield return $"{Named("DataProtection:KeyVaultUri")} is '{vault}': give the vault's URI, such as https://my-vault.vault.azure.net/.";
            }
            if (options.KeyVaultSecret.Length is < 1 or > 127 || !options.KeyVaultSecret.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                yield return $"{Named("DataProtection:KeyVaultSecret")} is '{options.KeyVaultSecret}': give a Key Vault secret name (letters, digits and dashes, at most 127).";
            }
        }
    }

    private sealed class AuthRules : Rules<Features.Access.AuthOptions>
    {
        protected override IEnumerable<string> Check(Features.Access.AuthOptions options)
        {
            if (!(Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority)
                && (authority.Scheme == Uri.UriSchemeHttps || (authority.Scheme == Uri.UriSchemeHttp && authority.IsLoopback))
                && authority.Query.Length == 0 && authority.Fragment.Length == 0))
            {
                yield return $"{Named("Auth:Authority")} is '{options.Authority}': give the token issuer's URL, such as https://login.microsoftonline.com/<tenant id>/v2.0 (plain http only on this machine).";
            }
            if (options.Audiences.Count == 0)
            {
                yield return $"{Named("Auth:Audience")} is empty: give the API's application ID URI and client id, such as api://<client id>,<client id>.";
            }
            foreach (var email in options.AdminEmails.Where(e => Domain.Matching.EmailAddress.Normalize(e) is null))
            {
                yield return $"{Named("Auth:Admins")} holds '{email}', which is not an email address: give the first admins' sign-in emails, separated by commas.";
            }
        }
    }

    private sealed class LeadsRules : Rules<LeadsOptions>
    {
        protected override IEnumerable<string> Check(LeadsOptions options)
        {
            if (!PhoneNumbers.IsSupportedRegion(options.DefaultPhoneRegion))
            {
                yield return $"{Named("Leads:DefaultPhoneRegion")} is '{options.DefaultPhoneRegion}': give a two-letter region such as US, GB or BE.";
            }
            if (options.ListPageReadLimit is < 1 or > 10_000)
            {
                yield return $"{Named("Leads:ListPageReadLimit")} is {options.ListPageReadLimit}: give a whole number from 1 to 10000 (default {Infrastructure.Leads.LeadList.DefaultPageReadLimit}).";
            }
        }
    }

    private sealed class CaptureRules : Rules<CaptureOptions>
    {
        protected override IEnumerable<string> Check(CaptureOptions options)
        {
            foreach (var origin in options.AllowedOrigins.Where(o => !IsOrigin(o)))
            {
                yield return $"{Named("Capture:AllowedOrigins")} holds '{origin}', which is not an origin: give scheme, host and optional port, such as https://www.example.com.";
            }
            if (options.RateLimitPerMinute is < 1 or > 100_000)
            {
                yield return $"{Named("Capture:RateLimitPerMinute")} is {options.RateLimitPerMinute}: give a whole number from 1 to 100000.";
            }
            if (options.MaxBodyBytes is < 1024 or > 1024 * 1024)
            {
                yield return $"{Named("Capture:MaxBodyBytes")} is {options.MaxBodyBytes}: give a size in bytes from 1024 to 1048576.";
            }
            if (options.ClientAddressHeader is { Length: > 0 } header && !IsHeaderName(header))
            {
                yield return $"{Named("Capture:ClientAddressHeader")} is '{header}', which is not a header name: give the header your front end sets to the caller's address, such as X-Client-IP (App Service) or X-Azure-SocketIP (Front Door), or leave it empty for the connection's address.";
            }
            if (string.Equals(options.ClientAddressHeader, "X-Azure-ClientIP", StringComparison.OrdinalIgnoreCase))
            {
                yield return $"{Named("Capture:ClientAddressHeader")} is X-Azure-ClientIP, which Front Door takes from the X-Forwarded-For a caller sends: give X-Azure-SocketIP, the address of the connection Front Door received.";
            }
            if (string.Equals(options.ClientAddressHeader, "X-Forwarded-For", StringComparison.OrdinalIgnoreCase))
            {
                yield return $"{Named("Capture:ClientAddressHeader")} is X-Forwarded-For, which never reaches the functions (the worker's forwarded-headers middleware consumes it) and which callers can write: give X-Client-IP (App Service) or X-Azure-SocketIP (Front Door).";
            }
            if (options.RepeatWindow < TimeSpan.Zero || options.RepeatWindow > TimeSpan.FromDays(1))
            {
                yield return $"{Named("Capture:RepeatWindow")} is {options.RepeatWindow}: give a time span from 00:00:00 to 1.00:00:00.";
            }
        }

        private static bool IsHeaderName(string value) =>
            value.Length <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

        private static bool IsOrigin(string value) =>
            Uri.TryCreate(value, UriKind.Absolute, out var uri)
            && uri.Scheme is "http" or "https"
            && uri.UserInfo.Length == 0
            && string.Equals(uri.GetLeftPart(UriPartial.Authority), value, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// A merge younger than StaleAfter is taken as running; shorter than a merge takes, others roll
    /// it back under it. Below 5 s only in Development, where crash tests set 0 so that every pending
    /// merge counts as dead at once (and without a host at all, as in storage tests).
    /// </summary>
    private sealed class MergeRules(IHostEnvironment? environment) : Rules<MergeSettings>
    {
        protected override IEnumerable<string> Check(MergeSettings options)
        {
            var least = environment is null || environment.IsDevelopment() ? TimeSpan.Zero : TimeSpan.FromSeconds(5);
            if (options.StaleAfter < least || options.StaleAfter > TimeSpan.FromHours(1))
            {
                yield return $"{Named("Merges:StaleAfter")} is {options.StaleAfter}: give a time span from {least:hh\\:mm\\:ss} to 01:00:00, longer than any merge takes (default 00:00:30).";
            }
        }
    }

    private sealed class EventsRules : Rules<EventsOptions>
    {
        protected override IEnumerable<string> Check(EventsOptions options)
        {
            if (string.IsNullOrWhiteSpace(options.Source) || !Uri.TryCreate(options.Source, UriKind.RelativeOrAbsolute, out _))
            {
                yield return $"{Named("Events:Source")} is '{options.Source}': give a URI reference naming this deployment, such as /leadfunctions or https://leads.example.com.";
            }
            if (options.SweepAfter < TimeSpan.Zero || options.SweepAfter > TimeSpan.FromDays(1))
            {
                yield return $"{Named("Events:SweepAfter")} is {options.SweepAfter}: give a time span from 00:00:00 to 1.00:00:00 (default 00:02:00).";
            }
            var bus = options.ServiceBus;
            if (!string.IsNullOrWhiteSpace(bus.ConnectionString) && !string.IsNullOrWhiteSpace(bus.FullyQualifiedNamespace))
            {
                yield return $"{Named("Events:ServiceBus:ConnectionString")} and {Named("Events:ServiceBus:FullyQualifiedNamespace")} are both set: give one (the namespace uses the managed identity).";
            }
            if (!string.IsNullOrWhiteSpace(bus.FullyQualifiedNamespace) && Uri.CheckHostName(bus.FullyQualifiedNamespace) != UriHostNameType.Dns)
            {
                yield return $"{Named("Events:ServiceBus:FullyQualifiedNamespace")} is '{bus.FullyQualifiedNamespace}': give a host name such as contoso.servicebus.windows.net.";
            }
            if (!string.IsNullOrWhiteSpace(bus.ConnectionString) && !bus.ConnectionString.Contains("Endpoint=", StringComparison.OrdinalIgnoreCase))
            {
                yield return $"{Named("Events:ServiceBus:ConnectionString")} is not a Service Bus connection string (Endpoint=sb://…;SharedAccessKeyName=…;SharedAccessKey=…).";
            }
            var hooks = options.Webhooks;
            if (hooks.RetryWindow < TimeSpan.FromSeconds(1) || hooks.RetryWindow > TimeSpan.FromDays(7))
            {
                yield return $"{Named("Events:Webhooks:RetryWindow")} is {hooks.RetryWindow}: give a time span from 00:00:01 to 7.00:00:00 (default 1.00:00:00).";
            }
            if (hooks.FirstRetryAfter < TimeSpan.FromSeconds(1) || hooks.FirstRetryAfter > TimeSpan.FromHours(1) || hooks.FirstRetryAfter > hooks.RetryWindow)
            {
                yield return $"{Named("Events:Webhooks:FirstRetryAfter")} is {hooks.FirstRetryAfter}: give a time span from 00:00:01 to 01:00:00, no longer than the retry window (default 00:00:10).";
            }
            if (hooks.Timeout < TimeSpan.FromSeconds(1) || hooks.Timeout > TimeSpan.FromMinutes(1))
            {
                yield return $"{Named("Events:Webhooks:Timeout")} is {hooks.Timeout}: give a time span from 00:00:01 to 00:01:00 (default 00:00:15).";
            }
            foreach (var (key, payload) in new[]
            {
                ("Events:StorageQueue:Payload", options.StorageQueue.Payload),
                ("Events:ServiceBus:Payload", bus.Payload),
                ("Events:Webhooks:Payload", hooks.Payload),
            })
            {
                // The binder takes any number for an enum; only the named modes mean something.
                if (!Enum.IsDefined(payload))
                {
                    yield return $"{Named(key)} is {payload}: give Full or Thin.";
                }
            }
            if (string.IsNullOrWhiteSpace(bus.Topic) || bus.Topic.Length > 260 || !bus.Topic.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '/'))
            {
                yield return $"{Named("Events:ServiceBus:Topic")} is '{bus.Topic}': give a topic name of letters, digits, '.', '-', '_' or '/' (default lead-events).";
            }
        }
    }

    private sealed class IngestRules : Rules<IngestOptions>
    {
        protected override IEnumerable<string> Check(IngestOptions options)
        {
            if (options.RecheckAfter < TimeSpan.FromSeconds(1) || options.RecheckAfter > TimeSpan.FromDays(1))
            {
                yield return $"{Named("Ingest:RecheckAfter")} is {options.RecheckAfter}: give a time span from 00:00:01 to 1.00:00:00, longer than a check usually takes (default 00:05:00).";
            }
            if (options.RetryAfter < TimeSpan.FromSeconds(1) || options.RetryAfter > TimeSpan.FromHours(1))
            {
                yield return $"{Named("Ingest:RetryAfter")} is {options.RetryAfter}: give a time span from 00:00:01 to 01:00:00 (default 00:00:05).";
            }
            if (options.RelinkAfter < TimeSpan.FromSeconds(1) || options.RelinkAfter > TimeSpan.FromHours(1))
            {
                yield return $"{Named("Ingest:RelinkAfter")} is {options.RelinkAfter}: give a time span from 00:00:01 to 01:00:00 (default 00:00:30).";
            }
            if (options.MaxAttempts is < 1 or > 50)
            {
                yield return $"{Named("Ingest:MaxAttempts")} is {options.MaxAttempts}: give a whole number from 1 to 50 (default 8).";
            }
        }
    }

    private sealed class RetentionRules : Rules<RetentionOptions>
    {
        protected override IEnumerable<string> Check(RetentionOptions options)
        {
            foreach (var (key, value, least, fallback) in new[]
            {
                ("Retention:IdempotencyKeys", options.IdempotencyKeys, TimeSpan.FromSeconds(1), "1.00:00:00"),
                ("Retention:SentEvents", options.SentEvents, TimeSpan.FromSeconds(1), "7.00:00:00"),
                ("Retention:WebhookDeliveries", options.WebhookDeliveries, TimeSpan.FromSeconds(1), "30.00:00:00"),
                ("Retention:FinishedMerges", options.FinishedMerges, TimeSpan.FromSeconds(1), "7.00:00:00"),
                ("Retention:Imports", options.Imports, TimeSpan.FromSeconds(1), "30.00:00:00"),
            })
            {
                if (value < least || value > TimeSpan.FromDays(3650))
                {
                    yield return $"{Named(key)} is {value}: give a time span from 00:00:01 to 3650.00:00:00 (default {fallback}).";
                }
            }
            if (options.IdempotencyInFlight < TimeSpan.FromSeconds(1) || options.IdempotencyInFlight > TimeSpan.FromHours(1))
            {
                yield return $"{Named("Retention:IdempotencyInFlight")} is {options.IdempotencyInFlight}: give a time span from 00:00:01 to 01:00:00 (default 00:00:30).";
            }
        }
    }

    private sealed class ErasureRules : Rules<Features.Erasure.ErasureOptions>
    {
        protected override IEnumerable<string> Check(Features.Erasure.ErasureOptions options)
        {
            if (options.SettleAfter < TimeSpan.FromSeconds(1) || options.SettleAfter > TimeSpan.FromMinutes(10))
            {
                yield return $"{Named("Erasure:SettleAfter")} is {options.SettleAfter}: give a time span from 00:00:01 to 00:10:00, longer than a duplicate check takes (default 00:00:30).";
            }
            if (options.ScanPageSize is < 1 or > 1000)
            {
                yield return $"{Named("Erasure:ScanPageSize")} is {options.ScanPageSize}: give a number of rows from 1 to 1000, what one Table request returns at most (default 1000).";
            }
        }
    }

    private sealed class StorageRules : Rules<StorageConnection>
    {
        protected override IEnumerable<string> Check(StorageConnection options) =>
            options.Problem is { } problem ? [problem] : [];
    }
}
