using System.Text.Json;
using LeadFunctions.Domain.Access;
using LeadFunctions.Domain.Errors;
using LeadFunctions.Functions.Features.Access;
using LeadFunctions.Infrastructure.Access;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LeadFunctions.Functions.Http;

/// <summary>
/// Runs a function body and turns every expected failure into its RFC 9457 problem, so that bad
/// input never answers 500. Done here rather than in middleware because both hosts (Azure's and
/// the local one) call the functions directly.
/// </summary>
public static class Api
{
    /// <summary>
    /// Runs a route that needs a credential with at least <paramref name="role"/> (SPEC 10): the
    /// body runs only once the caller is authorized, as the caller's actor.
    /// </summary>
    public static Task<IActionResult> RunAsync(HttpRequest request, ILogger logger, Role role, Func<CancellationToken, Task<IActionResult>> action) =>
        RunAsync(request, logger, async ct =>
        {
            var caller = await request.HttpContext.RequestServices.GetRequiredService<RequestAccess>().AuthorizeAsync(request, role, ct);
            using (ActorScope.Begin(caller.Actor))
            {
                return await action(ct);
            }
        });

    /// <summary>Runs a public route (capture, the console's files, health, the OpenAPI document) as <paramref name="actor"/>.</summary>
    public static Task<IActionResult> RunPublicAsync(HttpRequest request, ILogger logger, Actor actor, Func<CancellationToken, Task<IActionResult>> action) =>
        RunAsync(request, logger, async ct =>
        {
            using (ActorScope.Begin(actor))
            {
                return await action(ct);
            }
        });

    private static async Task<IActionResult> RunAsync(HttpRequest request, ILogger logger, Func<CancellationToken, Task<IActionResult>> action)
    {
        var ct = request.HttpContext.RequestAborted;
        using var scope = logger.BeginScope(LogScope.ForPath(request.Path));
        try
        {
            return await action(ct);
        }
        catch (UnauthorizedException e)
        {
            // RFC 6750: say how to authenticate, and whether the token sent was the trouble.
            request.HttpContext.Response.Headers.WWWAuthenticate = e.InvalidToken ? "Bearer error=\"invalid_token\"" : "Bearer";
            return ApiResults.Problem(401, "Unauthorized.", e.Message);
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
        ForbiddenException => ApiResults.Problem(403, "Forbidden.", e.Message),
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
