using System.Diagnostics;

namespace LeadFunctions.Benchmarks;

// SPEC 11's cost: the same bursts with routing off, then on (a team with a rule every capture
// matches, three members), in one host; what routing adds per lead is the difference. Two shapes:
// captures in groups of 10 sharing an email (the burst's), and captures with nothing in common.
public sealed partial class Measures
{
    private const int RoutedCaptures = 500;

    public async Task RoutingAsync(BenchHost host, CancellationToken ct)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var source = $"routed-{run}";
        var offGroups = await CostPerCaptureAsync(host, $"og{run}", source, GroupSize, ct);
        var offAlone = await CostPerCaptureAsync(host, $"oa{run}", source, 1, ct);

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
        var onGroups = await CostPerCaptureAsync(host, $"ng{run}", source, GroupSize, ct);
        var onAlone = await CostPerCaptureAsync(host, $"na{run}", source, 1, ct);
        // Routing off again: the phases after this one measure what they always did.
        await host.PutAsync($"teams/{team}", new { name = "Routed", memberIds = members }, ct);

        var executions = Math.Max(onGroups.Executions - offGroups.Executions, onAlone.Executions - offAlone.Executions);
        figures.Add(new Figure("routing: extra function executions per lead", executions, "", null, "none", executions < 0.05,
            $"{onGroups.Executions:0.00} per lead routed, {offGroups.Executions:0.00} not ({RoutedCaptures} captures at concurrency {BurstConcurrency} in each burst)"));
        foreach (var (shape, on, off) in new[] { ("captures with nothing in common", onAlone, offAlone), ($"groups of {GroupSize} sharing an email", onGroups, offGroups) })
        {
            var extra = on.Requests - off.Requests;
            figures.Add(new Figure($"routing: extra storage requests per lead, {shape}", extra, "", $"{on.Requests:0.#} against {off.Requests:0.#}", "5 or fewer", extra <= 5,
                "a member's count, the lead.assigned event, the record's copies in its team's and salesperson's lists" + (shape.StartsWith("groups", StringComparison.Ordinal)
                    ? ", and each check listing its neighbours in their owners' lists too" : "")));
        }
    }

    /// <summary>A burst like <see cref="BurstAsync"/>'s, smaller: executions and storage requests per capture, once all are checked and the queues are quiet.</summary>
    private async Task<(double Executions, double Requests)> CostPerCaptureAsync(BenchHost host, string run, string source, int groupSize, CancellationToken ct)
    {
        var before = host.Take();
        var ids = new string[RoutedCaptures];
        var clock = Stopwatch.StartNew();
        // A name of its own per capture and run (its last word is the family name the name key
        // reads): the bursts measured one after the other must not become each other's candidates.
        await Parallel.ForEachAsync(Enumerable.Range(0, RoutedCaptures), new ParallelOptions { MaxDegreeOfParallelism = BurstConcurrency, CancellationToken = ct }, async (i, token) =>
        {
            var group = i % (RoutedCaptures / groupSize);
            ids[i] = await host.CaptureAsync(new { email = $"r{group}@{run}g{group}.test", contactName = $"Routed {run}x{i}", source, message = $"Form {i}" }, token);
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
