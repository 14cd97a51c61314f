using System.Net;
using System.Text.RegularExpressions;
using LeadFunctions.Infrastructure.Capture;
using LeadFunctions.Infrastructure.Tables;
using LeadFunctions.LocalHost;
using Microsoft.Extensions.DependencyInjection;

namespace LeadFunctions.Functions.Tests;

/// <summary>
/// The cost model of docs/costs.md, counted rather than guessed: function executions and storage
/// requests (the app's and the host's queue work) for each captured, checked, converted and merged
/// lead, on a host of its own so that no other test's work is counted. The documented figures are
/// upper bounds: the test fails when the product costs more than the README says.
/// </summary>
public sealed partial class CostModelTests() : IsolatedHostTests(queues: true, settings: new Dictionary<string, string?> { ["Merges:StaleAfter"] = "00:00:05" })
{
    private const int Leads = 10;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Each_kind_of_work_costs_no_more_than_the_documented_figures()
    {
        var documented = Documented();
        // Tables and queues are created once per instance (on its first request), not per item.
        using (var health = await Client.GetAsync("health", TestContext.Current.CancellationToken))
        {
            await health.ShouldHaveStatusAsync(System.Net.HttpStatusCode.OK);
        }
        await QuietAsync();

        var captured = await MeasureAsync(async () =>
        {
            var ids = new List<string>();
            for (var i = 0; i < Leads; i++)
            {
                ids.Add(await Client.CaptureIdAsync(new { email = $"solo{i}@{Api.UniqueDomain()}", contactName = $"Solo Person{i}", companyName = $"Solo {i} Ltd" }));
            }
            await WaitAllCheckedAsync(ids);
            return ids;
        });

        List<string> pairs = [];
        var checkedWithDuplicate = await MeasureAsync(async () =>
        {
            for (var i = 0; i < Leads / 2; i++)
            {
                var email = $"pair{i}@{Api.UniqueDomain()}";
                pairs.Add(await Client.CaptureIdAsync(new { email, contactName = $"Pair Person{i}" }));
                pairs.Add(await Client.CaptureIdAsync(new { email, contactName = $"Pair Person{i}", message = "Second form" }));
            }
            await Api.EventuallyAsync(async () => new System.Text.Json.Nodes.JsonObject { ["ok"] = await AllFlaggedAsync(pairs) }, r => r["ok"]!.GetValue<bool>());
            return pairs;
        });

        var converted = await MeasureAsync(async () =>
        {
            foreach (var id in captured.Ids.Take(Leads / 2))
            {
                await Client.SendJsonAsync(HttpMethod.Post, $"leads/{id}/convert", new { action = "convert", customer = new { mode = "create" } }, HttpStatusCode.OK);
            }
            return captured.Ids.Take(Leads / 2).ToList();
        });

        var merged = await MeasureAsync(async () =>
        {
            for (var i = 0; i < pairs.Count; i += 2)
            {
                await Client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { pairs[i], pairs[i + 1] } }, HttpStatusCode.Created);
            }
            return pairs.Where((_, i) => i % 2 == 0).ToList();
        });

        var measured = new Dictionary<string, Cost>
        {
            ["capture"] = captured.PerItem(["Capture", CaptureRateLimit.SyncRequests]),
            ["check"] = captured.PerItem(["IngestLead"]),
            ["check with a duplicate"] = checkedWithDuplicate.PerItem(["IngestLead"]),
            ["conversion"] = converted.PerItem(["ConvertLead", "IngestLead"]),
            ["merge of two"] = merged.PerItem(["CreateMerge", "IngestLead"]),
        };
        foreach (var (work, cost) in measured)
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"| {work} | {cost.Executions:0.##} | {cost.Requests:0.#} | {cost.Milliseconds:0} |");
        }

        foreach (var (work, cost) in measured)
        {
            documented.Should().ContainKey(work, "docs/costs.md lists every kind of work the test measures");
            cost.Executions.Should().BeLessThanOrEqualTo(documented[work].Executions, $"{work}: executions per item, as docs/costs.md says at most");
            cost.Requests.Should().BeLessThanOrEqualTo(documented[work].Requests, $"{work}: storage requests per item, as docs/costs.md says at most");
        }
    }

    private async Task<Measured> MeasureAsync(Func<Task<List<string>>> work)
    {
        var before = Counts.Take(Host.Services);
        var ids = await work();
        await QuietAsync();
        return new Measured(ids, before, Counts.Take(Host.Services));
    }

    private Task QuietAsync() => Host.QuietAsync(Patience);

    private async Task WaitAllCheckedAsync(IEnumerable<string> ids)
    {
        foreach (var id in ids)
        {
            await Client.WaitCheckedAsync(id);
        }
    }

    private async Task<bool> AllFlaggedAsync(IEnumerable<string> ids)
    {
        foreach (var id in ids)
        {
            var check = (await Client.GetJsonAsync($"leads/{id}"))["duplicateCheck"]!;
            if (check["status"]!.GetValue<string>() != "done" || check["similarCount"]!.GetValue<int>() != 1)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The "Per item" table of docs/costs.md: work, executions, storage requests.</summary>
    private static Dictionary<string, Cost> Documented()
    {
        var root = LeadFunctions.Azurite.RepositoryRoot.Find() ?? throw new InvalidOperationException("The tests run inside the repository.");
        var text = File.ReadAllText(Path.Combine(root, "docs", "costs.md"));
        return DocumentedRow().Matches(text).ToDictionary(
            m => m.Groups["work"].Value.Trim(),
            m => new Cost(double.Parse(m.Groups["executions"].Value, System.Globalization.CultureInfo.InvariantCulture), double.Parse(m.Groups["requests"].Value, System.Globalization.CultureInfo.InvariantCulture), 0));
    }

    [GeneratedRegex(@"^\| (?<work>[a-z ]+) \| (?<executions>[0-9.]+) \| (?<requests>[0-9.]+) \|", RegexOptions.Multiline)]
    private static partial Regex DocumentedRow();

    private sealed record Cost(double Executions, double Requests, double Milliseconds);

    private sealed record Counts(IReadOnlyDictionary<string, long> Executions, IReadOnlyDictionary<string, long> AppRequests, IReadOnlyDictionary<string, long> HostRequests, IReadOnlyDictionary<string, TimeSpan> Durations)
    {
        public static Counts Take(IServiceProvider services)
        {
            var executions = services.GetRequiredService<FunctionExecutions>();
            return new Counts(executions.Snapshot(), services.GetRequiredService<StorageRequests>().ByFunction(), executions.HostRequests.ByFunction(), executions.Durations());
        }
    }

    private sealed record Measured(List<string> Ids, Counts Before, Counts After)
    {
        /// <summary>What the named functions cost per item of work: executions, storage requests (app and host), time.</summary>
        public Cost PerItem(string[] functions)
        {
            double Delta(IReadOnlyDictionary<string, long> after, IReadOnlyDictionary<string, long> before) =>
                functions.Sum(f => after.GetValueOrDefault(f) - before.GetValueOrDefault(f));
            var executions = Delta(After.Executions, Before.Executions);
            var requests = Delta(After.AppRequests, Before.AppRequests) + Delta(After.HostRequests, Before.HostRequests);
            var milliseconds = functions.Sum(f => (After.Durations.GetValueOrDefault(f) - Before.Durations.GetValueOrDefault(f)).TotalMilliseconds);
            return new Cost(executions / Ids.Count, requests / Ids.Count, executions == 0 ? 0 : milliseconds / executions);
        }
    }
}
