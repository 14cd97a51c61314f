using System.Collections.Concurrent;
using System.Diagnostics;

namespace LeadFunctions.LocalHost;

/// <summary>
/// Every function invocation the local host makes, counted per function (what a pay-per-execution
/// plan bills) and traced as an activity of the source <see cref="ActivitySourceName"/>, the way
/// the Azure host reports each invocation.
/// </summary>
public sealed class FunctionExecutions
{
    public const string ActivitySourceName = "LeadFunctions.LocalHost";

    internal static readonly ActivitySource Source = new(ActivitySourceName);

    private readonly ConcurrentDictionary<string, long> counts = new(StringComparer.Ordinal);

    public long Total => counts.Values.Sum();

    public long this[string function] => counts.GetValueOrDefault(function);

    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(counts, StringComparer.Ordinal);

    internal Activity? Start(FunctionDescriptor function)
    {
        counts.AddOrUpdate(function.Name, 1, (_, n) => n + 1);
        var activity = Source.StartActivity(function.Name, function.Http is null ? ActivityKind.Consumer : ActivityKind.Internal);
        activity?.SetTag("faas.name", function.Name);
        activity?.SetTag("faas.trigger", function.Http is null ? "pubsub" : "http");
        return activity;
    }
}
