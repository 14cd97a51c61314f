using LeadFunctions.Domain;
using LeadFunctions.Domain.Errors;
using LeadFunctions.Functions.Features.Retention;
using LeadFunctions.Infrastructure.Idempotency;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.Extensions.Options;

namespace LeadFunctions.Functions.Http;

/// <summary>
/// The Idempotency-Key of a create (SPEC 5 and 8; Stripe's semantics and the IETF draft's): the
/// first request with a key claims it for the id its resource will have; a repeat with the same
/// body answers that resource as it is now, with the first answer's status, and stores nothing; a
/// repeat with another body is 422; a repeat while the first runs is 409, to be tried again. A
/// first request that died after its claim holds the key only while its claim is in flight
/// (Retention:IdempotencyInFlight): then a retry takes the claim over and creates under the same
/// id, so a create that did land before the death is answered rather than made twice.
/// Capture and imports keep claims of their own, made in the same writes as their other claims.
/// </summary>
public sealed class IdempotentCreate(IdempotencyKeys keys, WriteFaults faults, IOptions<RetentionOptions> retention)
{
    public const string Header = "Idempotency-Key";
    private RetentionOptions Windows => retention.Value;

    /// <summary>The request's key, checked; null when it has none.</summary>
    public static string? KeyOf(HttpRequest req)
    {
        var key = req.Headers[Header].FirstOrDefault();
        Check(key);
        return string.IsNullOrEmpty(key) ? null : key;
    }

    /// <summary>The one rule for a key, of every create (capture and imports, whose claims are their own, included).</summary>
    /// <exception cref="ValidationException">Longer than 200 characters, or with a control character.</exception>
    public static void Check(string? key)
    {
        if (key is { Length: > 200 } || (key ?? "").Any(char.IsControl))
        {
            throw ValidationException.For(Header, "The key must be at most 200 characters, without control characters.");
        }
    }

    /// <summary>
    /// Runs <paramref name="create"/> once per key. Everything that can refuse the request should
    /// be checked by then (a refusal lets the key go, so a corrected request may use it again).
    /// </summary>
    /// <param name="operation">The route's name: keys are scoped by it.</param>
    /// <param name="request">What makes two requests the same (the body, and the route's ids): only its keyed hash is kept.</param>
    /// <param name="subjectId">The record the new resource belongs to, if it is not one itself (a note's record).</param>
    /// <param name="create">Creates the resource under the id given, and answers it.</param>
    /// <param name="read">Answers the resource with that id as it is now, as <paramref name="create"/> did; null when there is none.</param>
    public async Task<IActionResult> RunAsync(HttpRequest req, string operation, string request, string? subjectId,
        Func<string, CancellationToken, Task<IActionResult>> create, Func<string, CancellationToken, Task<IActionResult?>> read, CancellationToken ct)
    {
        if (KeyOf(req) is not { } key)
        {
            return await create(Ids.New(), ct);
        }
        var claim = await keys.ClaimAsync(operation, key, request, Ids.New(), subjectId, Windows.IdempotencyInFlight, Windows.IdempotencyKeys, ct);
        switch (claim.State)
        {
            case ClaimState.Mismatch:
                return ApiResults.Problem(422, "Idempotency-Key reused with a different request.",
                    "This Idempotency-Key was used for another request to this route; use a new key for a new request.");
            case ClaimState.Done:
                return await read(claim.ResourceId, ct)
                    ?? ApiResults.Problem(404, "Not found.", "The resource this Idempotency-Key created is gone.");
            case ClaimState.Pending:
                if (await read(claim.ResourceId, ct) is { } made)
                {
                    // It was created and its request died before saying so.
                    await keys.CompleteAsync(claim, StatusOf(made), ct);
                    return made;
                }
                if (!claim.LeaseOver || await keys.TakeOverAsync(claim, Windows.IdempotencyInFlight, ct) is not { } taken)
                {
                    req.HttpContext.Response.Headers.RetryAfter = "1";
                    return ApiResults.Problem(409, "Request in progress.",
                        "A request with this Idempotency-Key is still being processed; try again shortly.");
                }
                claim = taken;
                break;
        }
        await faults.AtAsync("idempotency claimed");
        await faults.AfterWriteAsync("idempotency claimed");
        IActionResult result;
        try
        {
            result = await create(claim.ResourceId, ct);
        }
        catch (Exception e) when (Api.IsRefusal(e))
        {
            // A first request slower than the in-flight window, taken over, may have made it after all:
            // the key then answers what exists rather than freeing itself for a copy.
            if (await read(claim.ResourceId, ct) is { } made)
            {
                await keys.CompleteAsync(claim, StatusOf(made), ct);
                return made;
            }
            await keys.ReleaseAsync(claim, ct);
            throw;
        }
        await faults.AfterWriteAsync("idempotency created");
        await keys.CompleteAsync(claim, StatusOf(result), ct);
        return result;
    }

    private static int StatusOf(IActionResult result) => (result as IStatusCodeActionResult)?.StatusCode ?? StatusCodes.Status200OK;
}
