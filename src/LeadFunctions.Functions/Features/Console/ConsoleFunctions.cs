using LeadFunctions.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace LeadFunctions.Functions.Features.Console;

/// <summary>
/// The sales console (SPEC 9) and the capture script (SPEC 5): public static files. The console
/// page holds no data and no key; its scripts call the API with the key the user types in.
/// </summary>
public sealed class ConsoleFunctions
{
    /// <summary>
    /// Nothing but the console's own files and API: no inline script or style, no other origin,
    /// no framing (the page holds a key in session storage), no form posting elsewhere.
    /// </summary>
    public const string ConsolePolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    [Function("Console")]
    public static IActionResult Page([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console")] HttpRequest req)
    {
        // The page's files are named relative to /api/console; with a trailing slash they would not be found.
        if (req.Path.Value is { } path && path.EndsWith('/'))
        {
            req.HttpContext.Response.Headers.Location = path.TrimEnd('/') + req.QueryString;
            return new StatusCodeResult(StatusCodes.Status301MovedPermanently);
        }
        return Serve(req, "index.html", ConsolePolicy, sameOriginOnly: true);
    }

    [Function("ConsoleAsset")]
    public static IActionResult Asset([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console/{asset}")] HttpRequest req, string asset) =>
        asset is "index.html" or "capture.js"
            ? NotFound(asset)
            : Serve(req, asset, ConsolePolicy, sameOriginOnly: true);

    /// <summary>Included by other sites' pages: it may be loaded from anywhere, and it runs in their page, under their policy.</summary>
    [Function("CaptureScript")]
    public static IActionResult CaptureScript([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "capture.js")] HttpRequest req) =>
        Serve(req, "capture.js", "default-src 'none'", sameOriginOnly: false);

    private static IActionResult Serve(HttpRequest req, string name, string policy, bool sameOriginOnly)
    {
        if (StaticAssets.Find(name) is not { } file)
        {
            return NotFound(name);
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
