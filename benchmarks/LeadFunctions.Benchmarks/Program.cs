using System.Diagnostics;
using System.Runtime.InteropServices;
using LeadFunctions.Benchmarks;
using LeadFunctions.LocalHost;

// Every figure of SPEC 8 Performance in one run, against an Azurite of its own (in memory), through
// the local host. Writes benchmarks/results/latest.md and latest.json.
// --large N: the "many leads" size of the lookup and list figures (default 100,000, SPEC 8).
var large = args.Length == 2 && args[0] == "--large" && int.TryParse(args[1], out var n) && n >= 2_000 ? n : 100_000;
var command = "dotnet run -c Release --project benchmarks/LeadFunctions.Benchmarks" + (large == 100_000 ? "" : $" -- --large {large}");
var total = Stopwatch.StartNew();
var ct = CancellationToken.None;
var root = RepositoryRoot.Find() ?? throw new InvalidOperationException("Run the benchmark inside the repository.");
var machine = $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB, {RuntimeInformation.OSDescription.Trim()}, .NET {Environment.Version}";
Console.WriteLine($"LeadFunctions benchmark on {machine}");

await using var azurite = await AzuriteProcess.StartAsync(AzuriteOptions.InMemoryOnFreePorts, ct);
var figures = new Figures();
var measures = new Measures(azurite.ConnectionString, figures, large);

Console.WriteLine("Local host start-up");
await measures.StartUpAsync(ct);

await using (var checks = await BenchHost.StartAsync(azurite.ConnectionString, queues: true))
{
    Console.WriteLine("Similar-record lookup and lists");
    await measures.LookupsAndListsAsync(checks, ct);
    Console.WriteLine("Burst of captures");
    await measures.BurstAsync(checks, ct);
    Console.WriteLine("Merges");
    await measures.MergesAsync(checks, ct);
    Console.WriteLine("Import");
    await measures.ImportAsync(checks, ct);
}

await using (var captures = await BenchHost.StartAsync(azurite.ConnectionString, queues: false))
{
    Console.WriteLine("Capture throughput against raw inserts");
    await measures.CaptureThroughputAsync(captures, ct);
}

await figures.WriteAsync(Path.Combine(root, "benchmarks", "results"), machine, command, total.Elapsed);
Console.WriteLine($"Done in {total.Elapsed.TotalMinutes:0.0} minutes: benchmarks/results/latest.md");
