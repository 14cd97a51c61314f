using System.Text.Json;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace LeadFunctions.Functions.Http;

/// <summary>JSON answers in the API's wire format (JsonDefaults), whatever MVC's own JSON options are.</summary>
public static class ApiResults
{
    public static IActionResult Json(object? value, int status = StatusCodes.Status200OK, string contentType = "application/json") =>
        new ContentResult
        {
            Content = JsonSerializer.Serialize(value, JsonDefaults.Options),
            ContentType = contentType,
            StatusCode = status,
        };

    public static IActionResult Created(HttpRequest request, string location, object value)
    {
        request.HttpContext.Response.Headers.Location = location;
        return Json(value, StatusCodes.Status201Created);
    }

    /// <summary>A record with its version as the ETag header, so a client can send it back in If-Match.</summary>
    public static IActionResult Lead(HttpRequest request, Lead lead, int status = StatusCodes.Status200OK)
    {
        if (lead.Version is { } version)
        {
            request.HttpContext.Response.Headers.ETag = Quoted(version);
        }
        if (status == StatusCodes.Status201Created)
        {
            request.HttpContext.Response.Headers.Location = $"/api/leads/{lead.Id}";
        }
        return Json(lead, status);
    }

    /// <summary>Table ETags are already quoted (W/"datetime'…'"); anything else is quoted here.</summary>
    public static string Quoted(string version) =>
        version.StartsWith("W/\"", StringComparison.Ordinal) || version.StartsWith('"') ? version : $"\"{version}\"";

    public static IActionResult Problem(int status, string title, string detail, IReadOnlyDictionary<string, string[]>? errors = null, string? mergedInto = null)
    {
        var problem = new Dictionary<string, object?>
        {
            ["type"] = "about:blank",
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
        };
        if (errors is not null)
        {
            problem["errors"] = errors;
        }
        if (mergedInto is not null)
        {
            problem["mergedInto"] = mergedInto;
        }
        return Json(problem, status, "application/problem+json");
    }
}
