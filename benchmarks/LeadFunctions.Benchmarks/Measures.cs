using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Azure.Data.Tables;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Benchmarks;

/// <summary>The measures of SPEC 8 Performance, each adding its figures with the storage requests it made.</summary>
public sealed partial class Measures(string storage, Figures figures, int large, int importRows)
{
    private const int Lookups = 200;
    private const int PagesPerFilter = 5;
    private const int PageSize = 50;
    private const int BurstCaptures = 1_000;
    private const int BurstConcurrency = 32;
    private const int GroupSize = 10;
    private const int CaptureConcurrency = 16;
    private const int RoundSize = 400;
    private const int Rounds = 3;

    private readonly Seeder seeder = new(storage);

    /// <summary>The local host as a user starts it (its own process, Azurite already running): time to the first answer.</summary>
    public async Task StartUpAsync(CancellationToken ct)
    {
        var times = new List<double>();
        for (var run = 0; run < 3; run++)
        {
            var port = FreePort();
            var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "LeadFunctions.LocalHost.dll"));
            start.ArgumentList.Add("--port");
            start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            start.Environment["AzureWebJobsStorage"] = storage;
            start.Environment["LocalHost__Banner"] = "false";
            // The port after the one picked may be taken: the development sign-in's https listener takes any free one.
            start.Environment["LocalHost__IdentityPort"] = "0";
            start.Environment["LocalHost__Queues__Enabled"] = "false";
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            while (clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                try
                {
                    using var health = await client.GetAsync(new Uri($"http://127.0.0.1:{port}/api/health"), ct);
                    if (health.StatusCode == HttpStatusCode.OK)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException)
                {
                }
                await Task.Delay(10, ct);
            }
            times.Add(clock.Elapsed.TotalSeconds);
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(ct);
        }
        var median = Stats.Median(times);
        figures.Add(new Figure("local host start to first answer (median of 3, Azurite excluded)", median, "s", null, "under 1.5 s", median < 1.5,
            "from starting `dotnet LeadFunctions.LocalHost.dll` to the first 200 of /api/health, storage already running"));
    }

    private double smallLookup;

    /// <summary>The lookup at 1,000 stored leads (measured first, before the other figures add theirs).</summary>
    public async Task SmallLookupAsync(BenchHost host, CancellationToken ct)
    {
        await seeder.SeedToAsync(1_000, ct);
        var (median, requests) = await LookupAsync(host, ct);
        smallLookup = median;
        figures.Add(new Figure("similar-record lookup median at 1,000 leads", median, "ms", $"{requests:0.##} per lookup", "at most 2 requests", requests <= 2));
    }

    /// <summary>The lookup and filtered list pages at <c>large</c> (100,000) seeded leads.</summary>
    public async Task LargeLookupsAndListsAsync(BenchHost host, CancellationToken ct)
    {
        await seeder.SeedToAsync(large, ct);
        var stored = await seeder.CountStoredAsync(ct);
        var (largeMedian, largeRequests) = await LookupAsync(host, ct);
        figures.Add(new Figure($"similar-record lookup median at {large:N0} leads", largeMedian, "ms", $"{largeRequests:0.##} per lookup",
            "within 1.5× of the median at 1,000, at most 2 requests", largeMedian <= 1.5 * smallLookup && largeRequests <= 2,
            $"{largeMedian / smallLookup:0.##}× the median at 1,000 (with {stored - seeder.Ids.Count:N0} more leads from the other figures)"));

        var filters = new (string Name, string Query)[]
        {
            ("status", "status=active"),
            ("type", "type=opportunity"),
            ("teamId", $"teamId={Seeder.TeamId(3)}"),
            ("userId", $"userId={Seeder.UserId(7)}"),
            ("email", $"email={Uri.EscapeDataString(Seeder.EmailOf(large / 2))}"),
        };
        foreach (var (name, query) in filters)
        {
            var before = host.Take();
            var pages = 0;
            var emptyWithToken = 0;
            var times = new List<double>();
            string? token = null;
            do
            {
                var clock = Stopwatch.StartNew();
                var page = await host.GetAsync($"leads?{query}&pageSize={PageSize}" + (token is null ? "" : $"&continuationToken={Uri.EscapeDataString(token)}"), ct);
                times.Add(clock.Elapsed.TotalMilliseconds);
                token = page["continuationToken"]?.GetValue<string>();
                pages++;
                if (page["items"]!.AsArray().Count == 0 && token is not null)
                {
                    emptyWithToken++;
                }
            }
            while (token is not null && pages < PagesPerFilter);
            var perPage = (double)host.Take().RequestsSince(before, "ListLeads") / pages;
            figures.Add(new Figure($"list page filtered by {name} at {large:N0} leads (median)", Stats.Median(times), "ms", $"{perPage:0.##} per page",
                "at most 2 requests a page, no empty page with a token", perPage <= 2 && emptyWithToken == 0,
                emptyWithToken == 0 ? "" : $"{emptyWithToken} empty pages with a token"));
        }
    }

    private async Task<(double MedianMs, double RequestsPerLookup)> LookupAsync(BenchHost host, CancellationToken ct)
    {
        var ids = seeder.Ids.OrderBy(_ => Random.Shared.Next()).Take(Lookups).ToList();
        // Warm: the first calls pay for JIT and connections.
        foreach (var id in ids.Take(20))
        {
            await host.GetAsync($"leads/{id}/similar", ct);
        }
        var before = host.Take();
        var times = new List<double>();
        foreach (var id in ids)
        {
            var clock = Stopwatch.StartNew();
            await host.GetAsync($"leads/{id}/similar", ct);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        return (Stats.Median(times), (double)host.Take().RequestsSince(before, "ListSimilar") / ids.Count);
    }

    /// <summary>1,000 captures at concurrency 32 in groups of 10 sharing an email: every record done with 9 similar, capture → done latency, cost per lead.</summary>
    public async Task BurstAsync(BenchHost host, CancellationToken ct)
    {
        var before = host.Take();
        var accepted = new DateTimeOffset[BurstCaptures];
        var ids = new string[BurstCaptures];
        var run = Guid.NewGuid().ToString("N")[..8];
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, BurstCaptures), new ParallelOptions { MaxDegreeOfParallelism = BurstConcurrency, CancellationToken = ct }, async (i, token) =>
        {
            var group = i % (BurstCaptures / GroupSize);
            ids[i] = await host.CaptureAsync(new { email = $"burst{group}@b{run}g{group}.test", contactName = $"Burst Person {i}", message = $"Form {i}" }, token);
            accepted[i] = DateTimeOffset.UtcNow;
        });
        var captureSeconds = clock.Elapsed.TotalSeconds;
        while (ids.Any(id => host.Checked.FirstCheckedAt(id) is null) && clock.Elapsed < TimeSpan.FromMinutes(10))
        {
            await Task.Delay(100, ct);
        }
        var allDoneSeconds = clock.Elapsed.TotalSeconds;
        await QuietAsync(host, ct);
        var latencies = ids.Select((id, i) => host.Checked.FirstCheckedAt(id) is { } at ? (at - accepted[i]).TotalSeconds : double.PositiveInfinity).ToList();
        var clients = new StorageClients(new TableServiceClient(storage), new Azure.Storage.Queues.QueueServiceClient(storage));
        var leads = new LeadStore(clients, new LeadList(clients));
        var right = 0;
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (id, token) =>
        {
            var lead = await leads.FindAsync(id, token);
            if (lead?.DuplicateCheck is { Status: DuplicateCheckStatus.Done, SimilarCount: GroupSize - 1 })
            {
                Interlocked.Increment(ref right);
            }
        });
        var after = host.Take();
        var executions = (double)after.ExecutionsSince(before, "Capture", "IngestLead") / BurstCaptures;
        var requests = (double)after.AllRequestsSince(before) / BurstCaptures;
        var p95 = Stats.Percentile(latencies, 95);
        figures.Add(new Figure("burst: records done with similarCount 9", right, $"of {BurstCaptures:N0}", null, "all", right == BurstCaptures,
            $"captures took {captureSeconds:0.0} s ({BurstCaptures / captureSeconds:0} a second), every record done {allDoneSeconds:0.0} s after the first"));
        figures.Add(new Figure("burst: capture → done p50", Stats.Median(latencies), "s", null, "–", null));
        figures.Add(new Figure("burst: capture → done p95", p95, "s", null, "under 2 s", p95 < 2));
        figures.Add(new Figure("burst: function executions per lead", executions, "", null, "at most 2", executions <= 2,
            $"{after.Failures - before.Failures} failed tries (retried) among them"));
        figures.Add(new Figure("burst: storage requests per lead", requests, "", $"{requests:0.#} per lead", "–", null,
            "the app's requests and the host's queue work (polls that found nothing excluded)"));
    }

    /// <summary>Storage requests of POST /merges for k records with m log entries between them.</summary>
    public async Task MergesAsync(BenchHost host, CancellationToken ct)
    {
        var leadsTable = new TableClient(storage, StorageNames.LeadsTable);
        foreach (var (k, m) in new[] { (2, 0), (5, 0), (10, 0), (2, 600), (5, 600), (10, 600) })
        {
            var email = $"merge{Guid.NewGuid():N}"[..20] + "@merge.test";
            var ids = new List<string>();
            for (var i = 0; i < k; i++)
            {
                ids.Add((await host.PostAsync("leads", new { name = $"Merge {i}", email }, ct))["id"]!.GetValue<string>());
            }
            // The history to move: m entries spread over the records (set-up, written straight to the table).
            for (var i = 0; i < k; i++)
            {
                var entries = Enumerable.Range(0, m / k).Select(n => LeadRows.Log(new LogEntry
                {
                    Id = Ids.New(), LeadId = ids[i], At = DateTimeOffset.UtcNow, Kind = LogKind.Note, Message = $"Note {n}",
                })).ToList();
                foreach (var chunk in entries.Chunk(100))
                {
                    await leadsTable.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), ct);
                }
            }
            var before = host.Take();
            await host.PostAsync("merges", new { leadIds = ids }, ct);
            var requests = host.Take().RequestsSince(before, "CreateMerge");
            var scale = k + m / 100.0;
            figures.Add(new Figure($"merge of {k} records with {m} log entries", requests, "requests", $"{requests / scale:0.#} per (k + m/100)",
                "growing with k + m/100", null));
        }
        await QuietAsync(host, ct);
    }

    /// <summary>An import of 10,000 CSV rows (or as told): time until done, and its cost per row.</summary>
    public async Task ImportAsync(BenchHost host, CancellationToken ct)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var csv = new StringBuilder("name,email,companyName,tags\n");
        for (var i = 0; i < importRows; i++)
        {
            csv.Append("Imported ").Append(i).Append(",row").Append(i).Append("@i").Append(run).Append('d').Append(i / 5).Append(".test,Import Co ").Append(i / 5).Append(",import\n");
        }
        var before = host.Take();
        var clock = Stopwatch.StartNew();
        using var content = new StringContent(csv.ToString(), Encoding.UTF8, "text/csv");
        using var response = await host.Client.PostAsync("imports", content, ct);
        response.EnsureSuccessStatusCode();
        var id = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!["id"]!.GetValue<string>();
        System.Text.Json.Nodes.JsonObject import;
        do
        {
            await Task.Delay(500, ct);
            import = await host.GetAsync($"imports/{id}", ct);
        }
        while (import["status"]!.GetValue<string>() != "done" && clock.Elapsed < TimeSpan.FromMinutes(90));
        var seconds = clock.Elapsed.TotalSeconds;
        var after = host.Take();
        var stored = import["counts"]!["stored"]!.GetValue<int>();
        var requests = (double)after.RequestsSince(before, "StartImport", "ImportRows") / importRows;
        var executions = after.ExecutionsSince(before, "StartImport", "ImportRows");
        figures.Add(new Figure($"import of {importRows:N0} CSV rows (stored and checked)", seconds, "s", $"{requests:0.#} per row", "–", stored == importRows ? null : false,
            $"{stored:N0} stored, {import["counts"]!["flagged"]} flagged, {executions} executions ({(double)importRows / Math.Max(1, executions - 1):0} rows each)"));
        await QuietAsync(host, ct);
    }

    /// <summary>
    /// Captures through the local host (queue functions off, so only the request path runs) against
    /// raw Azurite inserts at the same concurrency, in alternating rounds so that both see the same machine.
    /// </summary>
    public async Task CaptureThroughputAsync(BenchHost host, CancellationToken ct)
    {
        var raw = new TableClient(storage, "rawinserts");
        await raw.CreateIfNotExistsAsync(ct);
        var payload = new string('x', 600);
        var run = Guid.NewGuid().ToString("N")[..8];
        var rawRates = new List<double>();
        var captureRates = new List<double>();
        var before = host.Take();
        for (var round = 0; round < Rounds; round++)
        {
            rawRates.Add(await RateAsync(RoundSize, i => raw.AddEntityAsync(new TableEntity(Ids.New(), "a") { ["Data"] = payload }, ct)));
            // Free-mail addresses: captures of one company domain would all be similar (anonymous captures
            // do not crowd it), and the erasure host checks these captures later.
            captureRates.Add(await RateAsync(RoundSize, i => host.CaptureAsync(new { email = $"c{run}r{round}x{i}@gmail.com", message = "Throughput" }, ct)));
        }
        var perCapture = (double)host.Take().RequestsSince(before, "Capture") / (Rounds * RoundSize);
        var ratio = Stats.Median(captureRates) / Stats.Median(rawRates);
        figures.Add(new Figure("capture: storage requests on the request path", perCapture, "per capture", $"{perCapture:0.##}", "3 or fewer", perCapture <= 3,
            "claim, message, record; the rate limit is counted in memory and synced in the background"));
        figures.Add(new Figure($"capture throughput ÷ raw Azurite inserts at concurrency {CaptureConcurrency}", ratio, "", null, "0.33 or more", ratio >= 0.33,
            $"captures {Stats.Median(captureRates):0}/s, raw inserts {Stats.Median(rawRates):0}/s (medians of {Rounds} alternating rounds of {RoundSize})"));
    }

    private static async Task<double> RateAsync(int count, Func<int, Task> work)
    {
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = CaptureConcurrency }, async (i, _) => await work(i));
        return count / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Nothing running and nothing left on the queues.</summary>
    private async Task QuietAsync(BenchHost host, CancellationToken ct)
    {
        var queues = new[] { StorageNames.IngestQueue, StorageNames.ImportQueue }.Select(q => new Azure.Storage.Queues.QueueClient(storage, q)).ToList();
        var executions = (LeadFunctions.LocalHost.FunctionExecutions)host.Services.GetService(typeof(LeadFunctions.LocalHost.FunctionExecutions))!;
        var quiet = 0;
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (quiet < 3 && DateTime.UtcNow < deadline)
        {
            var waiting = 0;
            foreach (var queue in queues)
            {
                waiting += (await queue.GetPropertiesAsync(ct)).Value.ApproximateMessagesCount;
            }
            quiet = waiting == 0 && executions.Running == 0 ? quiet + 1 : 0;
            await Task.Delay(200, ct);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
