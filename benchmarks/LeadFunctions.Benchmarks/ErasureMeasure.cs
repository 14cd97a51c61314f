using System.Diagnostics;

namespace LeadFunctions.Benchmarks;

/// <summary>
/// One erasure (SPEC 4.5) at the large size: a person with two records, one merged into another
/// person's record, erased by email; its time from request to receipt and every storage request
/// the host made meanwhile. The rounds settle for <see cref="SettleAfter"/> (30 s by default),
/// shortened here so that the figure is the work, not the wait; the wait is in the note.
/// </summary>
public sealed class ErasureMeasure(Figures figures, int large)
{
    public const string SettleAfter = "00:00:02";

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(30);

    public async Task RunAsync(BenchHost host, CancellationToken ct)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var email = $"erase-{tag}@erasure.bench.test";
        var other = await CreateAsync(host, new { name = "Other person's deal", email = $"other-{tag}@erasure.bench.test" }, ct);
        await CreateAsync(host, new { name = $"Erased {tag}", email, phone = "+1 415 555 0101", description = $"Note {tag}" }, ct);
        var second = await CreateAsync(host, new { name = $"Erased again {tag}", email }, ct);
        await host.PostAsync("merges", new { leadIds = new[] { other, second }, survivorId = other }, ct);

        var before = host.Take();
        var clock = Stopwatch.StartNew();
        var id = (await host.PostAsync("erasures", new { email }, ct))["id"]!.GetValue<string>();
        while ((await host.GetAsync($"erasures/{id}", ct))["status"]!.GetValue<string>() != "done")
        {
            if (clock.Elapsed > Patience)
            {
                throw new TimeoutException($"The erasure of the benchmark did not finish in {Patience}.");
            }
            await Task.Delay(250, ct);
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var requests = host.Take().AllRequestsSince(before);
        var receipt = await host.GetAsync($"erasures/{id}", ct);
        var records = receipt["counts"]!["records"]!.GetValue<int>();
        figures.Add(new Figure($"erasure of one person (2 records, one merged into another's) at {large:N0} leads", seconds, "s", $"{requests:N0} requests",
            "finishes; all of theirs", records == 2,
            $"rounds settling {SettleAfter} apart (30 s by default, which adds about 30 s per round); requests include the host's other work meanwhile"));
    }

    /// <summary>A record, once its duplicate check is done (an erasure finds a checked record through the index).</summary>
    private static async Task<string> CreateAsync(BenchHost host, object body, CancellationToken ct)
    {
        var id = (await host.PostAsync("leads", body, ct))["id"]!.GetValue<string>();
        var clock = Stopwatch.StartNew();
        while ((await host.GetAsync($"leads/{id}", ct))["duplicateCheck"]?["status"]?.GetValue<string>() != "done")
        {
            if (clock.Elapsed > Patience)
            {
                throw new TimeoutException($"The check of {id} did not finish in {Patience}.");
            }
            await Task.Delay(100, ct);
        }
        return id;
    }
}
