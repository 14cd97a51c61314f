using LeadFunctions.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using LeadFunctions.Functions.Features.Access;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace LeadFunctions.Functions.Features.Console;

/// <summary>
/// The sales console (SPEC 9) and the capture script (SPEC 5): public static files. The console
/// page holds no data and no credential; its scripts sign the person in (MSAL.js, with the settings
/// of <c>console/auth.json</c>) and call the API with their token, or with an API key typed in.
/// </summary>
public sealed class ConsoleFunctions(IOptions<AuthOptions> auth)
{
    /// <summary>The console's sign-in settings, answered as console/auth.json.</summary>
    public const string SignInFile = "auth.json";

    /// <summary>
    /// Nothing but the console's own files and API, and the sign-in authority for discovery and tokens:
    /// no inline script or style, no other origin, no framing (the page holds a token in session
    /// storage), no form posting elsewhere.
    /// </summary>
    public static string ConsolePolicy(ConsoleSignIn signIn) =>
        $"default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'{(signIn.AuthorityOrigin is { } origin ? " " + origin : "")}; img-src 'self' data:; " +
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private ConsoleSignIn SignIn => ConsoleSignIn.From(auth.Value);

    [Function("Console")]
    public IActionResult Page([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console")] HttpRequest req)
    {
        // The page's files are named relative to /api/console; with a trailing slash they would not be found.
        if (req.Path.Value is { } path && path.EndsWith('/'))
        {
            req.HttpContext.Response.Headers.Location = path.TrimEnd('/') + req.QueryString;
            return new StatusCodeResult(StatusCodes.Status301MovedPermanently);
        }
        return Serve(req, StaticAssets.Find("index.html"), ConsolePolicy(SignIn), sameOriginOnly: true);
    }

    [Function("ConsoleAsset")]
    public IActionResult Asset([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console/{asset}")] HttpRequest req, string asset)
    {
        var signIn = SignIn;
        return asset switch
        {
            "index.html" or "capture.js" => NotFound(asset),
            SignInFile => Serve(req, StaticAssets.Json(SignInFile, signIn), ConsolePolicy(signIn), sameOriginOnly: true),
            _ => Serve(req, StaticAssets.Find(asset), ConsolePolicy(signIn), sameOriginOnly: true, name: asset),
        };
    }

    /// <summary>Included by other sites' pages: it may be loaded from anywhere, and it runs in their page, under their policy.</summary>
    [Function("CaptureScript")]
    public static IActionResult CaptureScript([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "capture.js")] HttpRequest req) =>
        Serve(req, StaticAssets.Find("capture.js"), "default-src 'none'", sameOriginOnly: false);

    private static IActionResult Serve(HttpRequest req, StaticAsset? file, string policy, bool sameOriginOnly, string? name = null)
    {
        if (file is null)
        {
            return NotFound(name ?? "");
        }
        var headers = req.HttpContext.Response.Headers;
        headers.ContentSecurityPolicy = policy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Resource-Policy"] = sameOriginOnly ? "same-origin" : "cross-origin";
        if (sameOriginOnly)
        {
            headers.XFrameOptions = "DENY";
        }
        // Revalidated every time, so a new deployment is seen at once; an unchanged file costs a 304.
        headers.CacheControl = "no-cache";
        headers.ETag = file.ETag;
        if (req.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == file.ETag)))
        {
            return new StatusCodeResult(StatusCodes.Status304NotModified);
        }
        return new FileContentResult(file.Content, file.ContentType);
    }

    private static IActionResult NotFound(string name) =>
        ApiResults.Problem(StatusCodes.Status404NotFound, "Not found", $"The console has no file named '{Shorten(name)}'.");

    private static string Shorten(string name) => name.Length <= 60 ? name : name[..60] + "…";
}
