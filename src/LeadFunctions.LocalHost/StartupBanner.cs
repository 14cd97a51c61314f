using System.Text;
using LeadFunctions.LocalHost.Http;
using LeadFunctions.LocalHost.Metadata;

namespace LeadFunctions.LocalHost;

/// <summary>The function list Core Tools prints at start, so the local host reads the same.</summary>
internal static class StartupBanner
{
    public static string Format(FunctionCatalog catalog, HostJsonSettings settings, Uri baseAddress, bool defaultKey)
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
        return text.ToString();
    }
}
