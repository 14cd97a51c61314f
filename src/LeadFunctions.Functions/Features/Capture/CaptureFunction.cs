using LeadFunctions.Domain;
using LeadFunctions.Domain.Access;
using LeadFunctions.Domain.Capture;
using LeadFunctions.Domain.Errors;
using LeadFunctions.Domain.Leads;
using LeadFunctions.Functions.Http;
using LeadFunctions.Infrastructure.Capture;
using LeadFunctions.Infrastructure.Secrets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadFunctions.Functions.Features.Capture;

/// <summary>
/// The public web-form endpoint (SPEC 5, Capture): no key, CORS for the allowed origins only,
/// a per-IP rate limit, repeats answered with the first lead's id, 202 as soon as the lead is stored.
/// </summary>
public sealed class CaptureFunction(CaptureService capture, CaptureRateLimit rateLimit, KeyedHashes hashes, IOptions<CaptureOptions> options, ILogger<CaptureFunction> logger)
{
    private CaptureOptions Options => options.Value;

    [Function("Capture")]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", "options", Route = "capture")] HttpRequest req) =>
        Api.RunPublicAsync(req, logger, Actor.Visitor, async ct =>
        {
            var origin = req.Headers.Origin.FirstOrDefault();
            // A page of the function app itself (the console's web form) posts same-origin: not a CORS request.
            if (origin is not null && !IsSameOrigin(req, origin))
            {
                if (!IsAllowed(origin))
                {
                    return ApiResults.Problem(403, "Origin not allowed.", "This origin may not post to the capture endpoint.");
                }
                req.HttpContext.Response.Headers.AccessControlAllowOrigin = origin;
                req.HttpContext.Response.Headers.Vary = "Origin";
                // A page's script may read when to try again after a 429.
                req.HttpContext.Response.Headers.AccessControlExposeHeaders = "Retry-After";
            }
            if (HttpMethods.IsOptions(req.Method))
            {
                var headers = req.HttpContext.Response.Headers;
                headers.AccessControlAllowMethods = "POST, OPTIONS";
                headers.AccessControlAllowHeaders = "Content-Type, Idempotency-Key";
                headers.AccessControlMaxAge = "600";
                return new NoContentResult();
            }
            if (req.ContentLength > Options.MaxBodyBytes)
            {
                throw new BodyTooLargeException(Options.MaxBodyBytes);
            }
            var rate = rateLimit.TryAcquire(await hashes.HashAsync("client-address", ClientAddress.Of(req, Options.ClientAddressHeader)));
            if (!rate.Allowed)
            {
                req.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(rate.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return ApiResults.Problem(429, "Too many requests.", $"At most {Options.RateLimitPerMinute} captures a minute from one address.");
            }
            var input = await ReadInputAsync(req, ct);
            var redirect = RedirectTarget(input.Redirect);
            if (input.IsHoneypotFilled)
            {
                // A bot filled the hidden field: answer as if stored, so that it learns nothing.
                return Accepted(req, Ids.New(), redirect);
            }
            var result = await capture.CaptureAsync(input, req.Headers["Idempotency-Key"].FirstOrDefault(), ct);
            return Accepted(req, result.Id, redirect);
        });

    private static IActionResult Accepted(HttpRequest req, string id, string? redirect)
    {
        if (redirect is not null)
        {
            req.HttpContext.Response.Headers.Location = redirect;
            return new StatusCodeResult(StatusCodes.Status303SeeOther);
        }
        return ApiResults.Json(new CaptureReceipt(id, "received"), StatusCodes.Status202Accepted);
    }

    private async Task<CaptureInput> ReadInputAsync(HttpRequest req, CancellationToken ct)
    {
        if (RequestBody.IsJson(req))
        {
            return JsonInput.Deserialize<CaptureInput>(RequestBody.ParseObject(await RequestBody.ReadBytesAsync(req, Options.MaxBodyBytes, ct)));
        }
        if (RequestBody.IsUrlEncodedForm(req))
        {
            return FromForm(await RequestBody.ReadFormAsync(req, Options.MaxBodyBytes, ct));
        }
        throw new UnsupportedMediaTypeException("Send the form as application/x-www-form-urlencoded or application/json.");
    }

    /// <summary>
    /// A web form sends whatever fields its page has (a submit button's name, say): the known
    /// ones are taken and the others ignored. Tags may come repeated or comma-separated; any other
    /// known field given twice is ambiguous, like a JSON key given twice, and refused. A consent box
    /// is sent only when ticked, as "on" unless the page gives it a value (<see cref="FlagText"/>).
    /// </summary>
    private static CaptureInput FromForm(Dictionary<string, List<string>> form)
    {
        string? Field(string name) => form.TryGetValue(name, out var values)
            ? values.Count == 1 ? values[0] : throw ValidationException.For(name, "This field is given more than once.")
            : null;
        bool? Flag(string name) => Field(name) is { } text
            ? FlagText.Parse(text) ?? throw ValidationException.For(name, "This field must be true or false (a ticked checkbox's \"on\" is true).")
            : null;
        var tags = form.TryGetValue("tags", out var raw)
            ? raw.SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList()
            : null;
        return new CaptureInput
        {
            Name = Field("name"),
            ContactName = Field("contactName"),
            Email = Field("email"),
            Phone = Field("phone"),
            CompanyName = Field("companyName"),
            Website = Field("website"),
            Message = Field("message"),
            Source = Field("source"),
            Medium = Field("medium"),
            Campaign = Field("campaign"),
            TeamId = Field("teamId"),
            Tags = tags,
            EmailOptOut = Flag("emailOptOut"),
            PhoneOptOut = Flag("phoneOptOut"),
            DoNotContact = Flag("doNotContact"),
            Honeypot = Field("_hp"),
            Redirect = Field("_redirect"),
        };
    }

    /// <summary>
    /// The Location of the 303, checked before anything is stored: the address percent-encoded
    /// (<see cref="Uri.AbsoluteUri"/>; <see cref="Uri.ToString"/> unescapes non-ASCII text, which
    /// no header may carry). An international host stays as written even there, so a redirect that
    /// is still not a header value is refused, not answered with a 500 after the lead is stored.
    /// </summary>
    private string? RedirectTarget(string? redirect)
    {
        if (string.IsNullOrWhiteSpace(redirect))
        {
            return null;
        }
        if (Uri.TryCreate(redirect, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            && IsAllowed(uri.GetLeftPart(UriPartial.Authority)))
        {
            var location = uri.AbsoluteUri;
            if (location.All(c => c is > ' ' and <= '~'))
            {
                return location;
            }
            throw ValidationException.For("_redirect", "The redirect must be written in ASCII: give an international domain name in its xn-- form, on an origin allowed in that form.");
        }
        throw ValidationException.For("_redirect", "The redirect must be an absolute URL on an allowed origin.");
    }

    private static bool IsSameOrigin(HttpRequest req, string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && req.Host.HasValue
        && string.Equals(uri.Authority, req.Host.Value, StringComparison.OrdinalIgnoreCase);

    private bool IsAllowed(string origin) =>
        Options.AllowedOrigins.Contains(origin.TrimEnd('/'), StringComparer.OrdinalIgnoreCase);
}
