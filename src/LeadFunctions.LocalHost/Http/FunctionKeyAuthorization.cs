using System.Security.Cryptography;
using System.Text;
using LeadFunctions.LocalHost.Metadata;

namespace LeadFunctions.LocalHost.Http;

/// <summary>
/// The Azure host's key check for authLevel Function and Admin, with one local key for both. The
/// well-known local key is taken from ?code= only for safe methods: a plain form post from any web
/// page can put it in a URL, but cannot set a header without the browser asking first (CORS).
/// </summary>
public sealed class FunctionKeyAuthorization(string functionKey)
{
    public const string ConfigurationKey = "LocalHost:FunctionKey";
    public const string DefaultKey = "local-dev-key";
    public const string HeaderName = "x-functions-key";
    public const string QueryName = "code";

    private readonly byte[] expectedHash = SHA256.HashData(Encoding.UTF8.GetBytes(functionKey));

    public bool IsAuthorized(HttpRequest request, FunctionAuthLevel level)
    {
        if (level == FunctionAuthLevel.Anonymous)
        {
            return true;
        }

        string? presented = request.Headers[HeaderName];
        if (string.IsNullOrEmpty(presented) && IsSafe(request.Method))
        {
            presented = request.Query[QueryName];
        }

        // Hashes compared in constant time: neither the key's bytes nor its length show in response times.
        return !string.IsNullOrEmpty(presented)
            && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), expectedHash);
    }

    private static bool IsSafe(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    public static Task RefuseAsync(HttpContext context) => ProblemResponses.WriteAsync(
        context,
        StatusCodes.Status401Unauthorized,
        "Unauthorized",
        $"This function needs a function key in the {HeaderName} header (or, for GET and HEAD, the {QueryName} query parameter).");
}
