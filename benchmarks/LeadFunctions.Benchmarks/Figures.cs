using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LeadFunctions.Benchmarks;

/// <summary>One measured figure, with the storage requests it made (counted, not guessed) and the target it is held to.</summary>
public sealed record Figure(string Name, double Value, string Unit, string? Requests, string Target, bool? Met, string Note = "");

/// <summary>The figures of one run, and where they are written (benchmarks/results/latest.md and .json).</summary>
public sealed class Figures
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private readonly List<Figure> figures = [];

    public IReadOnlyList<Figure> All => figures;

    /// <summary>Called after each figure: the program writes the results so far.</summary>
    public Func<Task>? Written { get; set; }

    public void Add(Figure figure)
    {
        figures.Add(figure);
        Written?.Invoke().GetAwaiter().GetResult();
        Console.WriteLine($"  {figure.Name}: {Format(figure.Value)} {figure.Unit}{(figure.Requests is null ? "" : $" ({figure.Requests})")} — target {figure.Target}: {Verdict(figure.Met)}");
    }

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
        await File.WriteAllTextAsync(Path.Combine(directory, "latest.md"), md.ToString());
    }

    private static string Verdict(bool? met) => met switch { true => "yes", false => "**no**", null => "–" };

    private static string Format(double value) =>
        value >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("0.##", CultureInfo.InvariantCulture);
}
