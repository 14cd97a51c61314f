using LeadFunctions.Infrastructure.Tables;
using LeadFunctions.LocalHost;
using Microsoft.Extensions.DependencyInjection;

namespace LeadFunctions.Benchmarks;

/// <summary>
/// What a host has done so far: function executions (what Flex Consumption bills) and storage
/// requests, the app's (a pipeline policy on the SDK clients, per function) and the host's own
/// queue work (polls that found nothing excluded: a cost of time, not of work).
/// </summary>
public sealed record Counts(IReadOnlyDictionary<string, long> Executions, IReadOnlyDictionary<string, long> Requests, long Failures)
{
    public static Counts Take(IServiceProvider services)
    {
        var executions = services.GetRequiredService<FunctionExecutions>();
        var requests = new Dictionary<string, long>(services.GetRequiredService<StorageRequests>().ByFunction(), StringComparer.Ordinal);
        foreach (var (function, count) in executions.HostRequests.ByFunction())
        {
            if (function != FunctionExecutions.Polling)
            {
                requests[function] = requests.GetValueOrDefault(function) + count;
            }
        }
        return new Counts(executions.Snapshot(), requests, executions.FailuresOf("IngestLead") + executions.FailuresOf("ImportRows"));
    }

    public long ExecutionsSince(Counts before, params string[] functions) =>
        Sum(Executions, before.Executions, functions);

    public long RequestsSince(Counts before, params string[] functions) =>
        Sum(Requests, before.Requests, functions);

    /// <summary>Every storage request since, whoever made it.</summary>
    public long AllRequestsSince(Counts before) => Sum(Requests, before.Requests, [.. Requests.Keys]);

    private static long Sum(IReadOnlyDictionary<string, long> now, IReadOnlyDictionary<string, long> then, string[] keys) =>
        keys.Sum(k => now.GetValueOrDefault(k) - then.GetValueOrDefault(k));
}
