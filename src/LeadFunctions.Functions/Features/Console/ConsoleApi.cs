using LeadFunctions.Functions.OpenApi;

namespace LeadFunctions.Functions.Features.Console;

/// <summary>The Console routes in the OpenAPI document: what each reads and answers, and the schemas they name.</summary>
internal static class ConsoleApi
{
    public static Operation[] Operations { get; } =
    [
        new("get", "/console", "getConsole", OpenApiTags.Console, "The sales console (SPEC 9): a page for a browser. Public; the person signs in with Microsoft Entra ID and its calls to the API carry their access token.",
            new Answer(200, "The console's page.", null, Answer.FileHeaders) { Media = ["text/html"] },
            new Answer(301, "Sent to the address without the trailing slash.", null, "Location"),
            new Answer(304, "Unchanged since the If-None-Match version."))
        { Public = true },
        new("get", "/console/{asset}", "getConsoleAsset", OpenApiTags.Console,
            "A script, style sheet or icon of the console (its sign-in library, MSAL.js, among them), or auth.json: the settings the console signs in with (authority, client id, scope; from Auth:Authority, Auth:ClientId and Auth:Audience).",
            new Answer(200, "The file.", null, Answer.FileHeaders) { Media = ["text/javascript", "text/css", "image/svg+xml", "application/json"] },
            new Answer(304, "Unchanged since the If-None-Match version."))
        { Public = true },
        new("get", "/capture.js", "getCaptureScript", OpenApiTags.Platform,
            "A script for web forms: it posts every form marked data-lead-form to capture as JSON, with an idempotency key per submission, and shows the result; without scripts the form posts itself.",
            new Answer(200, "The script.", null, Answer.FileHeaders) { Media = ["text/javascript"] },
            new Answer(304, "Unchanged since the If-None-Match version."))
        { Public = true },
    ];
}
