using System.Text.Json;
using LeadFunctions.Domain.Errors;
using LeadFunctions.Storage;
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
        try
        {
            return await action(ct);
        }
        catch (ValidationException e)
        {
            return ApiResults.Problem(400, "The request is not valid.", "See errors for each field.", e.Errors.ToDictionary());
        }
        catch (MalformedBodyException e)
        {
            return ApiResults.Problem(400, "The body is malformed.", e.Message);
        }
        catch (InvalidContinuationTokenException e)
        {
            return ApiResults.Problem(400, "The continuation token is not valid.", e.Message);
        }
        catch (NotFoundException e)
        {
            return ApiResults.Problem(404, "Not found.", e.Message);
        }
        catch (ConflictException e)
        {
            return ApiResults.Problem(409, "Conflict.", e.Message, mergedInto: e.MergedInto);
        }
        catch (ConcurrencyException e)
        {
            // Whatever kept changing under a retried operation: the client may simply try again.
            return ApiResults.Problem(409, "Conflict.", e.Message + " Try again.");
        }
        catch (PreconditionFailedException e)
        {
            return ApiResults.Problem(412, "Precondition failed.", e.Message);
        }
        catch (RecordTooLargeException e)
        {
            return ApiResults.Problem(413, "The record is too large.", e.Message);
        }
        catch (BodyTooLargeException e)
        {
            return ApiResults.Problem(413, "The body is too large.", e.Message);
        }
        catch (UnsupportedMediaTypeException e)
        {
            return ApiResults.Problem(415, "Unsupported media type.", e.Message);
        }
        catch (JsonException e)
        {
            return ApiResults.Problem(400, "The body is malformed.", e.Message);
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
}
