using System.Text.Json;

namespace LeadFunctions.LocalHost.Http;

/// <summary>RFC 9457 answers for what the host itself refuses (the functions write their own problems).</summary>
internal static class ProblemResponses
{
    public static async Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        await JsonSerializer.SerializeAsync(context.Response.Body, Body(status, title, detail), JsonSerializerOptions.Web, context.RequestAborted);
    }

    public static object Body(int status, string title, string detail) =>
        new ProblemBody($"https://www.rfc-editor.org/rfc/rfc9110#status.{status}", title, status, detail);

    private sealed record ProblemBody(string Type, string Title, int Status, string Detail);
}
