using System.Diagnostics;
using System.Runtime.InteropServices;
using LeadFunctions.Azurite;
using LeadFunctions.Benchmarks;

// Every figure of SPEC 8 Performance in one run, against an Azurite of its own (in memory), through
// the local host. Writes benchmarks/results/latest.md and latest.json.
// --large N: the "many leads" size of the lookup and list figures (default 100,000, SPEC 8).
// --import-rows N: the rows of the import figure (default 10,000, SPEC 8).
// --accuracy-only: only the figures of SPEC 8 Accuracy (duplicate detection on labelled records).
var large = Option("--large", 100_000);
var importRows = Option("--import-rows", 10_000);
var accuracyOnly = args.Contains("--accuracy-only");
var options = (large == 100_000 ? "" : $" --large {large}") + (importRows == 10_000 ? "" : $" --import-rows {importRows}") + (accuracyOnly ? " --accuracy-only" : "");
var command = "dotnet run -c Release --project benchmarks/LeadFunctions.Benchmarks" + (options.Length == 0 ? "" : " --" + options);
var total = Stopwatch.StartNew();
var ct = CancellationToken.None;
var root = RepositoryRoot.Find() ?? throw new InvalidOperationException("Run the benchmark inside the repository.");
var machine = $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB, {RuntimeInformation.OSDescription.Trim()}, .NET {Environment.Version}";
Console.WriteLine($"LeadFunctions benchmark on {machine}");

await using var azurite = await AzuriteProcess.StartAsync(AzuriteOptions.InMemoryOnFreePorts, ct);
var figures = new Figures();
var results = Path.Combine(root, "benchmarks", "results");
// Written after each figure too, so that a run stopped half-way still leaves what it measured.
figures.Written = () => figures.WriteAsync(results, machine, command + " (stopped before the end)", total.Elapsed);
var measures = new Measures(azurite.ConnectionString, figures, large, importRows);

// First, on an empty store: the labelled records' pairs are theirs alone.
await using (var accuracy = await BenchHost.StartAsync(azurite.ConnectionString, queues: true))
{
    Console.WriteLine("Duplicate detection on labelled records");
    await measures.AccuracyAsync(accuracy, ct);
}
if (accuracyOnly)
{
    figures.Written = null;
    await figures.WriteAsync(results, machine, command, total.Elapsed);
    Console.WriteLine($"Done in {total.Elapsed.TotalMinutes:0.0} minutes: benchmarks/results/latest.md");
    return;
}

Console.WriteLine("Local host start-up");
await measures.StartUpAsync(ct);

// The burst, merges and import first, while storage holds few leads: Azurite's in-memory tables slow
// down as they grow (a cost of the emulator, not of Table Storage), and the lookups and lists are
// measured last, at the sizes they are about.
await using (var lookups = await BenchHost.StartAsync(azurite.ConnectionString, queues: false))
{
    Console.WriteLine("Similar-record lookup at 1,000 leads");
    await measures.SmallLookupAsync(lookups, ct);
}

await using (var checks = await BenchHost.StartAsync(azurite.ConnectionString, queues: true))
{
    Console.WriteLine("Burst of captures");
    await measures.BurstAsync(checks, ct);
    Console.WriteLine("Import");
    await measures.ImportAsync(checks, ct);
    Console.WriteLine("Merges");
    await measures.MergesAsync(checks, ct);
    Console.WriteLine("Routing");
    await measures.RoutingAsync(checks, ct);
}

await using (var captures = await BenchHost.StartAsync(azurite.ConnectionString, queues: false))
{
    Console.WriteLine("Capture throughput against raw inserts");
    await measures.CaptureThroughputAsync(captures, ct);
}

await using (var lists = await BenchHost.StartAsync(azurite.ConnectionString, queues: false))
{
    Console.WriteLine("Similar-record lookup and lists at many leads");
    await measures.LargeLookupsAndListsAsync(lists, ct);
}

// Last, at the large size: an erasure scans the record rows for what the index does not know.
await using (var erasures = await BenchHost.StartAsync(azurite.ConnectionString, queues: true, new Dictionary<string, string?> { ["Erasure:SettleAfter"] = ErasureMeasure.SettleAfter }))
{
    Console.WriteLine("Erasure at many leads");
    await new ErasureMeasure(figures, large).RunAsync(erasures, ct);
}

figures.Written = null;
await figures.WriteAsync(results, machine, command, total.Elapsed);
Console.WriteLine($"Done in {total.Elapsed.TotalMinutes:0.0} minutes: benchmarks/results/latest.md");

int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], out var value) && value >= 1_000 ? value : fallback;
}
