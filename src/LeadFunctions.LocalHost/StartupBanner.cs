using System.Text;
using LeadFunctions.LocalHost.Http;
using LeadFunctions.LocalHost.Identity;
using LeadFunctions.LocalHost.Metadata;

namespace LeadFunctions.LocalHost;

/// <summary>The function list Core Tools prints at start, so the local host reads the same.</summary>
internal static class StartupBanner
{
    /// <param name="identity">The development identity provider, null outside Development.</param>
    public static string Format(FunctionCatalog catalog, HostJsonSettings settings, Uri baseAddress, bool defaultKey, DevIdentityOptions? identity = null)
    {
        var text = new StringBuilder().AppendLine().AppendLine("Functions:").AppendLine();
        var root = baseAddress.ToString().TrimEnd('/');
        foreach (var function in catalog.Functions)
        {
            if (function.Http is { } http)
            {
                var methods = http.Methods is { } list ? string.Join(',', list) : "ALL";
                text.AppendLine($"        {function.Name}: [{methods}] {root}{HttpFunctionEndpoints.RoutePattern(settings, http)}");
            }
            else if (function.Queue is { } queue)
            {
                text.AppendLine($"        {function.Name}: queueTrigger (queue: {queue.QueueName})");
            }
        }

        text.AppendLine()
            .Append($"Function and Admin routes need the key from setting {FunctionKeyAuthorization.ConfigurationKey}")
            .Append(defaultKey ? $" (default \"{FunctionKeyAuthorization.DefaultKey}\")" : "")
            .AppendLine($" in header {FunctionKeyAuthorization.HeaderName} (GET and HEAD also take query ?{FunctionKeyAuthorization.QueryName}=).");
        if (identity is not null)
        {
            AppendSignIn(text, identity, baseAddress);
        }
        return text.ToString();
    }

    private static void AppendSignIn(StringBuilder text, DevIdentityOptions identity, Uri baseAddress)
    {
        if (!identity.AppTrustsThisProvider)
        {
            text.AppendLine($"Sign-in: {DevIdentity.AuthoritySetting} is {identity.AppAuthority}, so the app does not accept tokens of the local provider {identity.Authority}.");
            return;
        }
        // Single quotes: the example is for a POSIX shell, where the JSON needs no escaping inside them.
        // The script endpoint answers on the host's http address too, so the example needs no certificate.
        text.AppendLine($"Sign in locally (development, this machine only): the console's sign-in opens {identity.AuthorizeUrl}")
            .AppendLine("  (https like Entra ID's, with a certificate made at start unless `dotnet dev-certs https --trust` made one: a browser that warns accepts it once);")
            .AppendLine("scripts get a token with")
            .AppendLine($"  curl -s -X POST {baseAddress}.auth/dev/token -H 'Content-Type: application/json' -d '{{\"email\":\"lea@sales.test\",\"roles\":[\"sales\"]}}'")
            .AppendLine("and send it as Authorization: Bearer <access_token>.");
    }
}
