using System.Collections.Concurrent;
using LeadFunctions.Infrastructure.Leads;
using Polly;
using Polly.Retry;

namespace LeadFunctions.Infrastructure.Tables;

/// <summary>
/// Optimistic concurrency's answer to a lost race: read again, decide again, write again. One
/// attempt is the whole read, decide and conditional write, so a conflict starts it over from
/// what is stored now. Tries follow each other at once unless a pause is given; the last try's
/// exception reaches the caller as it was thrown, so callers still catch what they caught. A
/// cancelled token ends the tries with <see cref="OperationCanceledException"/>.
/// </summary>
public static class Retry
{
    /// <summary>Tries in all, the first included, unless the caller names another count.</summary>
    public const int Attempts = 5;

    private static readonly ResiliencePropertyKey<Rules> RulesKey = new("LeadFunctions.Retry");

    // One pipeline per count, shared: what differs between callers travels in the context.
    private static readonly ConcurrentDictionary<int, ResiliencePipeline> Pipelines = new();

    /// <summary>What a conflict is unless the caller says otherwise: a conditional write found its row changed.</summary>
    public static bool IsConcurrencyConflict(Exception e) => e is ConcurrencyException;

    /// <param name="attempt">One try, run again from the start after a conflict.</param>
    /// <param name="attempts">Tries in all (at least 2).</param>
    /// <param name="conflict">The exceptions worth another try; <see cref="IsConcurrencyConflict"/> when null.</param>
    /// <param name="pause">The wait after failed try n (counted from 1); none when null.</param>
    /// <param name="onRetry">Told of each conflict that is tried again (not of the last one, which is thrown).</param>
    public static async ValueTask OnConflictAsync(
        Func<CancellationToken, ValueTask> attempt,
        CancellationToken ct,
        int attempts = Attempts,
        Func<Exception, bool>? conflict = null,
        Func<int, TimeSpan>? pause = null,
        Action<Exception>? onRetry = null) =>
        await OnConflictAsync(async token =>
        {
            await attempt(token);
            return true;
        }, ct, attempts, conflict, pause, onRetry);

    /// <inheritdoc cref="OnConflictAsync(Func{CancellationToken, ValueTask}, CancellationToken, int, Func{Exception, bool}?, Func{int, TimeSpan}?, Action{Exception}?)"/>
    /// <returns>What the try that got through returned.</returns>
    public static async ValueTask<T> OnConflictAsync<T>(
        Func<CancellationToken, ValueTask<T>> attempt,
        CancellationToken ct,
        int attempts = Attempts,
        Func<Exception, bool>? conflict = null,
        Func<int, TimeSpan>? pause = null,
        Action<Exception>? onRetry = null)
    {
        // Awaits resume where the caller's would, as in the loops this replaced.
        var context = ResilienceContextPool.Shared.Get(continueOnCapturedContext: true, ct);
        context.Properties.Set(RulesKey, new Rules(conflict ?? IsConcurrencyConflict, pause, onRetry));
        try
        {
            return await PipelineFor(attempts).ExecuteAsync(static (context, attempt) => attempt(context.CancellationToken), context, attempt);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static ResiliencePipeline PipelineFor(int attempts) => Pipelines.GetOrAdd(attempts, static attempts =>
        new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = attempts - 1,
            Delay = TimeSpan.Zero,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && RulesOf(args.Context).Conflict(e)),
            DelayGenerator = args => ValueTask.FromResult(RulesOf(args.Context).Pause?.Invoke(args.AttemptNumber + 1)),
            OnRetry = args =>
            {
                RulesOf(args.Context).OnRetry?.Invoke(args.Outcome.Exception!);
                return ValueTask.CompletedTask;
            },
        }).Build());

    private static Rules RulesOf(ResilienceContext context) => context.Properties.GetValue(RulesKey, null!);

    private sealed record Rules(Func<Exception, bool> Conflict, Func<int, TimeSpan>? Pause, Action<Exception>? OnRetry);
}
