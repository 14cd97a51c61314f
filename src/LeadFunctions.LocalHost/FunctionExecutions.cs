using System.Collections.Concurrent;
using System.Diagnostics;
using LeadFunctions.Infrastructure.Tables;
using LeadFunctions.LocalHost.Metadata;

namespace LeadFunctions.LocalHost;

/// <summary>
/// Every function invocation the local host makes, counted per function (what a pay-per-execution
/// plan bills) and traced as an activity of the source <see cref="ActivitySourceName"/>, the way
/// the Azure host reports each invocation; the storage requests each one makes are attributed to it.
/// </summary>
public sealed class FunctionExecutions
{
    public const string ActivitySourceName = "LeadFunctions.LocalHost";

    /// <summary>The name the host's polls that found nothing are counted under (a cost of time while an instance runs, not of work).</summary>
    public const string Polling = "(polling)";

    internal static readonly ActivitySource Source = new(ActivitySourceName);

    private readonly ConcurrentDictionary<string, long> counts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> ticks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> failures = new(StringComparer.Ordinal);
    private long running;

    public long Total => counts.Values.Sum();

    public long this[string function] => counts.GetValueOrDefault(function);

    /// <summary>Invocations started and not finished yet.</summary>
    public long Running => Interlocked.Read(ref running);

    /// <summary>Invocations that ended in an exception (for a queue function: a try that the host will retry).</summary>
    public long FailuresOf(string function) => failures.GetValueOrDefault(function);

    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(counts, StringComparer.Ordinal);

    /// <summary>Time spent in each function's invocations (what Flex Consumption bills as GB-s, times the instance memory).</summary>
    public IReadOnlyDictionary<string, TimeSpan> Durations() => ticks.ToDictionary(t => t.Key, t => TimeSpan.FromTicks(t.Value), StringComparer.Ordinal);

    /// <summary>
    /// The host's own storage requests (queue polls, message deletes, poison moves): on Azure the
    /// Functions host makes them, and they are billed to the same account.
    /// </summary>
    public StorageRequests HostRequests { get; } = new();

    internal Invocation Start(FunctionDescriptor function)
    {
        counts.AddOrUpdate(function.Name, 1, (_, n) => n + 1);
        Interlocked.Increment(ref running);
        var activity = Source.StartActivity(function.Name, function.Http is null ? ActivityKind.Consumer : ActivityKind.Internal);
        activity?.SetTag("faas.name", function.Name);
        activity?.SetTag("faas.trigger", function.Http is null ? "pubsub" : "http");
        return new Invocation(this, function.Name, activity, StorageRequests.For(function.Name));
    }

    internal sealed class Invocation(FunctionExecutions executions, string name, Activity? activity, IDisposable attribution) : IDisposable
    {
        private readonly long started = Stopwatch.GetTimestamp();

        public void Fail(Exception e)
        {
            executions.failures.AddOrUpdate(name, 1, (_, n) => n + 1);
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
        }

        public void Dispose()
        {
            var elapsed = Stopwatch.GetElapsedTime(started).Ticks;
            executions.ticks.AddOrUpdate(name, elapsed, (_, t) => t + elapsed);
            attribution.Dispose();
            activity?.Dispose();
            Interlocked.Decrement(ref executions.running);
        }
    }
}
