using System.Diagnostics;

namespace LeadFunctions.Benchmarks;

// SPEC 11's cost: the same burst with routing off, then on (a team with a rule every capture
// matches, three members), in one host; what routing adds per lead is the difference.
public sealed partial class Measures
{
    private const int RoutedCaptures = 500;

    public async Task RoutingAsync(BenchHost host, CancellationToken ct)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var source = $"routed-{run}";
        var (offExecutions, offRequests) = await CostPerCaptureAsync(host, $"off{run}", source, ct);

        var members = new List<string>();
        foreach (var name in new[] { "Ada", "Ben", "Cy" })
        {
            members.Add((await host.PostAsync("salespeople", new { name, email = $"{name.ToLowerInvariant()}@{run}.bench.test" }, ct))["id"]!.GetValue<string>());
        }
        var team = (await host.PostAsync("teams", new
        {
            name = "Routed", memberIds = members,
            rules = new object[] { new { field = "source", op = "equals", values = new[] { source } } },
        }, ct))["id"]!.GetValue<string>();
        var (onExecutions, onRequests) = await CostPerCaptureAsync(host, $"on{run}", source, ct);
        // Routing off again: the phases after this one measure what they always did.
        await host.PutAsync($"teams/{team}", new { name = "Routed", memberIds = members }, ct);

        figures.Add(new Figure("routing: extra function executions per lead", onExecutions - offExecutions, "", null, "none", onExecutions - offExecutions < 0.05,
            $"{onExecutions:0.00} per lead routed, {offExecutions:0.00} not ({RoutedCaptures} captures at concurrency {BurstConcurrency} each, groups of {GroupSize} sharing an email)"));
        figures.Add(new Figure("routing: extra storage requests per lead", onRequests - offRequests, "", $"{onRequests:0.#} against {offRequests:0.#}", "5 or fewer", onRequests - offRequests <= 5,
            "teams and salespeople cached; the loads read and one member's count written per lead, again when two checks pick the same member at once"));
    }

    /// <summary>A burst like <see cref="BurstAsync"/>'s, smaller: executions and storage requests per capture, once all are checked and the queues are quiet.</summary>
    private async Task<(double Executions, double Requests)> CostPerCaptureAsync(BenchHost host, string run, string source, CancellationToken ct)
    {
        var before = host.Take();
        var ids = new string[RoutedCaptures];
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, RoutedCaptures), new ParallelOptions { MaxDegreeOfParallelism = BurstConcurrency, CancellationToken = ct }, async (i, token) =>
        {
            var group = i % (RoutedCaptures / GroupSize);
            ids[i] = await host.CaptureAsync(new { email = $"r{group}@{run}g{group}.test", contactName = $"Routed Person {i}", source, message = $"Form {i}" }, token);
        });
        while (ids.Any(id => host.Checked.FirstCheckedAt(id) is null) && clock.Elapsed < TimeSpan.FromMinutes(10))
        {
            await Task.Delay(100, ct);
        }
        await QuietAsync(host, ct);
        var after = host.Take();
        return ((double)after.ExecutionsSince(before, "Capture", "IngestLead") / RoutedCaptures, (double)after.AllRequestsSince(before) / RoutedCaptures);
    }
}
