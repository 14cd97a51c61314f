using System.Text.Json;
using System.Text.Json.Serialization;

namespace LeadFunctions.LocalHost.Http;

/// <summary>RFC 9457 answers for what the host itself refuses (the functions write their own problems).</summary>
internal static class ProblemResponses
{
    /// <param name="errors">The fields at fault and what is wrong with each, in the app's own problem shape.</param>
    public static async Task WriteAsync(HttpContext context, int status, string title, string detail, IReadOnlyDictionary<string, string[]>? errors = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        await JsonSerializer.SerializeAsync(context.Response.Body, Body(status, title, detail, errors), JsonSerializerOptions.Web, context.RequestAborted);
    }

    public static object Body(int status, string title, string detail, IReadOnlyDictionary<string, string[]>? errors = null) =>
        new ProblemBody($"https://www.rfc-editor.org/rfc/rfc9110#status.{status}", title, status, detail, errors);

    private sealed record ProblemBody(
        string Type,
        string Title,
        int Status,
        string Detail,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string[]>? Errors);
}
