using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace LeadFunctions.LocalHost;

/// <summary>RFC 9457 answers for what the host itself refuses (the functions write their own problems).</summary>
internal static class ProblemResponses
{
    public static async Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        var problem = new ProblemBody($"https://www.rfc-editor.org/rfc/rfc9110#status.{status}", title, status, detail);
        await JsonSerializer.SerializeAsync(context.Response.Body, problem, JsonSerializerOptions.Web, context.RequestAborted);
    }

    private sealed record ProblemBody(string Type, string Title, int Status, string Detail);
}
