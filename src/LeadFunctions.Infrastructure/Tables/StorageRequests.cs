using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace LeadFunctions.Infrastructure.Tables;

/// <summary>
/// Counts every storage request the clients send, retries included (each attempt is a billed
/// transaction), per service and per function invocation that made it: what the cost model and
/// the benchmark are computed from.
/// </summary>
public sealed class StorageRequests
{
    /// <summary>Requests made outside any attributed invocation.</summary>
    public const string Unattributed = "(none)";

    private static readonly AsyncLocal<string?> Current = new();

    private readonly ConcurrentDictionary<(string Function, string Service), long> counts = new();

    private long writes;

    public long Total => counts.Values.Sum();

    /// <summary>Requests so far that write (every method but GET and HEAD; a transaction is one).</summary>
    public long Writes => Interlocked.Read(ref writes);

    /// <summary>Requests so far to one service ("table", "queue").</summary>
    public long this[string service] => counts.Where(c => c.Key.Service == service).Sum(c => c.Value);

    /// <summary>Requests so far, by the function whose invocation made them.</summary>
    public IReadOnlyDictionary<string, long> ByFunction() =>
        counts.GroupBy(c => c.Key.Function).ToDictionary(g => g.Key, g => g.Sum(c => c.Value), StringComparer.Ordinal);

    /// <summary>Requests made from here on (in this async flow) count for <paramref name="function"/>.</summary>
    public static IDisposable For(string function)
    {
        var previous = Current.Value;
        Current.Value = function;
        return new Restore(previous);
    }

    /// <summary>Counts one request made under <paramref name="from"/> for <paramref name="to"/> instead, once it is known whom it served.</summary>
    public void Reattribute(string from, string to, string service)
    {
        counts.AddOrUpdate((from, service), 0, (_, n) => n - 1);
        counts.AddOrUpdate((to, service), 1, (_, n) => n + 1);
    }

    /// <summary>Adds a counter for <paramref name="service"/> to a client's options, counting each attempt.</summary>
    public T CountOn<T>(T options, string service)
        where T : ClientOptions
    {
        options.AddPolicy(new Counter(this, service), HttpPipelinePosition.PerRetry);
        return options;
    }

    private sealed class Counter(StorageRequests requests, string service) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message)
        {
            requests.counts.AddOrUpdate((Current.Value ?? Unattributed, service), 1, (_, n) => n + 1);
            if (message.Request.Method != RequestMethod.Get && message.Request.Method != RequestMethod.Head)
            {
                Interlocked.Increment(ref requests.writes);
            }
        }
    }

    private sealed class Restore(string? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
