using System.Text.Json;
using LeadFunctions.Domain.Errors;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace LeadFunctions.Functions.Http;

/// <summary>
/// Runs a function body and turns every expected failure into its RFC 9457 problem, so that bad
/// input never answers 500. Done here rather than in middleware because both hosts (Azure's and
/// the local one) call the functions directly.
/// </summary>
public static class Api
{
    public static async Task<IActionResult> RunAsync(HttpRequest request, ILogger logger, Func<CancellationToken, Task<IActionResult>> action)
    {
        var ct = request.HttpContext.RequestAborted;
        using var scope = logger.BeginScope(LogScope.ForPath(request.Path));
        try
        {
            return await action(ct);
        }
        catch (Exception e) when (ProblemFor(e) is { } problem)
        {
            return problem;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return new StatusCodeResult(499);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Unexpected failure on {Method} {Path}", request.Method, request.Path);
            return ApiResults.Problem(500, "Internal error.", "The request failed on our side; nothing was lost. Try again.");
        }
    }

    /// <summary>Whether a failure is a refusal (a 4xx): the request changed nothing, so what it claimed may be let go.</summary>
    public static bool IsRefusal(Exception e) => ProblemFor(e) is not null;

    /// <summary>The problem each expected failure answers; null for the unexpected ones (500).</summary>
    private static IActionResult? ProblemFor(Exception e) => e switch
    {
        ValidationException v => ApiResults.Problem(400, "The request is not valid.", "See errors for each field.", v.Errors.ToDictionary()),
        MalformedBodyException or JsonException => ApiResults.Problem(400, "The body is malformed.", e.Message),
        InvalidContinuationTokenException => ApiResults.Problem(400, "The continuation token is not valid.", e.Message),
        NotFoundException => ApiResults.Problem(404, "Not found.", e.Message),
        ConflictException c => ApiResults.Problem(409, "Conflict.", e.Message, mergedInto: c.MergedInto),
        // Whatever kept changing under a retried operation: the client may simply try again.
        ConcurrencyException => ApiResults.Problem(409, "Conflict.", e.Message + " Try again."),
        PreconditionFailedException => ApiResults.Problem(412, "Precondition failed.", e.Message),
        RecordTooLargeException => ApiResults.Problem(413, "The record is too large.", e.Message),
        BodyTooLargeException => ApiResults.Problem(413, "The body is too large.", e.Message),
        UnsupportedMediaTypeException => ApiResults.Problem(415, "Unsupported media type.", e.Message),
        _ => null,
    };
}
