using System.Net;

namespace LeadFunctions.LocalHost.Identity;

/// <summary>
/// Where the development provider may send codes and whose pages may call it: this machine only.
/// A code sent to any other address could be read by whoever runs it.
/// </summary>
public static class LoopbackUris
{
    /// <summary>An absolute http(s) URL on localhost, 127.0.0.0/8 or [::1], without user info or fragment (RFC 6749 3.1.2).</summary>
    public static Uri? RedirectUri(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && IsLoopbackHttp(uri)
            && uri.UserInfo.Length == 0 && uri.Fragment.Length == 0 && !text!.Contains('#', StringComparison.Ordinal)
            ? uri
            : null;

    /// <summary>The request's Origin when it is a loopback page (any port), for CORS; null for anything else.</summary>
    public static string? AllowedOrigin(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        return Uri.TryCreate(origin, UriKind.Absolute, out var uri) && IsLoopbackHttp(uri) && uri.AbsolutePath == "/" && !origin.EndsWith('/')
            ? origin
            : null;
    }

    /// <summary>
    /// Adds CORS headers for a loopback page: the console's sign-in library calls discovery, keys
    /// and the token endpoint with fetch, possibly from a page served on another port.
    /// </summary>
    public static void AllowLoopbackOrigin(HttpContext context)
    {
        if (AllowedOrigin(context) is { } origin)
        {
            var headers = context.Response.Headers;
            headers.AccessControlAllowOrigin = origin;
            headers.Vary = "Origin";
        }
    }

    private static bool IsLoopbackHttp(Uri uri) =>
        (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && (string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(uri.DnsSafeHost, out var address) && IPAddress.IsLoopback(address)));
}
