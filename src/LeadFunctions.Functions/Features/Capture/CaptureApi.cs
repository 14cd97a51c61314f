using LeadFunctions.Domain.Capture;
using LeadFunctions.Functions.OpenApi;

namespace LeadFunctions.Functions.Features.Capture;

/// <summary>The Capture routes in the OpenAPI document: what each reads and answers, and the schemas they name.</summary>
internal static class CaptureApi
{
    public static Operation[] Operations { get; } =
    [
        new("post", "/capture", "capture", OpenApiTags.Platform,
            "Capture a lead from a web form (JSON or form-encoded). Answers as soon as the lead is stored; a repeat answers the first lead's id.",
            new Answer(202, "Stored (or a repeat of a stored lead).", "CaptureReceipt", "Access-Control-Allow-Origin"),
            new Answer(303, "A form post with _redirect on an allowed origin is sent back there.", null, "Location"),
            new Answer(403, "The Origin is not allowed.", "Problem"),
            new Answer(429, "Over the client's rate limit.", "Problem", "Retry-After"))
        { Public = true, Request = new Body("CaptureInput", AlsoForm: true), RequestHeaders = ["Idempotency-Key"] },
        new("options", "/capture", "capturePreflight", OpenApiTags.Platform, "CORS preflight for the allowed origins.",
            new Answer(204, "Allowed; the CORS headers say what.", null, "Access-Control-Allow-Origin", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers"),
            new Answer(403, "The Origin is not allowed.", "Problem"))
        { Public = true },
    ];

    public static void AddSchemas(OpenApiSchemas schemas)
    {
        schemas
            .Add(typeof(CaptureInput), "CaptureInput", "The fields of a web form; an email or a phone is needed. _hp is the honeypot, _redirect the page to send a form post back to.", required: [])
            .Add(typeof(CaptureReceipt), "CaptureReceipt", "The stored lead's id.");
    }
}
