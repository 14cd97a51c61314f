using System.Globalization;
using System.Text;
using System.Text.Json;
using LeadFunctions.Accuracy;

namespace LeadFunctions.Benchmarks;

/// <summary>One measured figure, with the storage requests it made (counted, not guessed) and the target it is held to.</summary>
public sealed record Figure(string Name, double Value, string Unit, string? Requests, string Target, bool? Met, string Note = "");

/// <summary>The figures of one run, and where they are written (benchmarks/results/latest.md and .json).</summary>
public sealed class Figures
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private readonly List<Figure> figures = [];
    private readonly List<(string Set, AccuracyReport Report)> accuracy = [];

    public IReadOnlyList<Figure> All => figures;

    /// <summary>Called after each figure: the program writes the results so far.</summary>
    public Func<Task>? Written { get; set; }

    public void Add(Figure figure)
    {
        figures.Add(figure);
        Written?.Invoke().GetAwaiter().GetResult();
        Console.WriteLine($"  {figure.Name}: {Format(figure.Value)} {figure.Unit}{(figure.Requests is null ? "" : $" ({figure.Requests})")} — target {figure.Target}: {Verdict(figure.Met)}");
    }

    /// <summary>A labelled set's precision, recall and F1 per rule, its recall per variation and its false pairs per hard negative: tables after the figures.</summary>
    public void AddAccuracy(string set, AccuracyReport report) => accuracy.Add((set, report));

    public async Task WriteAsync(string directory, string machine, string command, TimeSpan took)
    {
        Directory.CreateDirectory(directory);
        var json = JsonSerializer.Serialize(new
        {
            ranAt = DateTimeOffset.UtcNow,
            machine,
            command,
            durationSeconds = Math.Round(took.TotalSeconds),
            figures,
            accuracy = accuracy.Select(a => new { set = a.Set, a.Report }),
        }, Json);
        await File.WriteAllTextAsync(Path.Combine(directory, "latest.json"), json + "\n");

        var md = new StringBuilder()
            .AppendLine("# Benchmark results")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Ran {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {machine}, in {took.TotalMinutes:0.0} minutes, with")
            .AppendLine(CultureInfo.InvariantCulture, $"`{command}` (the local host and Azurite on the same machine; SPEC 8 Performance).")
            .AppendLine()
            .AppendLine("| figure | value | storage requests | target | met |")
            .AppendLine("|---|---|---|---|---|");
        foreach (var f in figures)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {f.Name} | {Format(f.Value)} {f.Unit} | {f.Requests ?? "–"} | {f.Target} | {Verdict(f.Met)} |");
        }
        var notes = figures.Where(f => f.Note.Length > 0).ToList();
        if (notes.Count > 0)
        {
            md.AppendLine().AppendLine("Notes:").AppendLine();
            foreach (var f in notes)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- {f.Name}: {f.Note}");
            }
        }
        foreach (var (set, report) in accuracy)
        {
            WriteAccuracy(md, set, report);
        }
        await File.WriteAllTextAsync(Path.Combine(directory, "latest.md"), md.ToString());
    }

    private static void WriteAccuracy(StringBuilder md, string set, AccuracyReport report)
    {
        md.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"## Duplicate detection, {set}").AppendLine()
            .AppendLine("| rule | pairs found | true | precision | recall | F1 |")
            .AppendLine("|---|---|---|---|---|---|");
        foreach (var r in report.Rules.Append(report.Overall))
        {
            // A rule that found nothing has no precision to show.
            var precision = r.Found == 0 ? "–" : r.Precision.ToString("0.000", CultureInfo.InvariantCulture);
            md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Rule} | {r.Found:N0} | {r.TruePositives:N0} | {precision} | {r.Recall:0.000} | {r.F1:0.000} |");
        }
        md.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Recall per variation (a cluster's first record and a later one made with it; {report.Overall.TruePairs:N0} true pairs in all):").AppendLine()
            .AppendLine("| variation | pairs | found | recall |").AppendLine("|---|---|---|---|");
        foreach (var t in report.Variations)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {t.Kind} | {t.Pairs:N0} | {t.Found:N0} | {t.Share:0.000} |");
        }
        md.AppendLine().AppendLine("Hard negatives wrongly paired (a negative and each record of the cluster it resembles):").AppendLine()
            .AppendLine("| hard negative | pairs | found | share |").AppendLine("|---|---|---|---|");
        foreach (var t in report.HardNegatives)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {t.Kind} | {t.Pairs:N0} | {t.Found:N0} | {t.Share:0.000} |");
        }
    }

    private static string Verdict(bool? met) => met switch { true => "yes", false => "**no**", null => "–" };

    private static string Format(double value) =>
        value >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("0.##", CultureInfo.InvariantCulture);
}
