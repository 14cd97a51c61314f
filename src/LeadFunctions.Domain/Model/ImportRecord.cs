using LeadFunctions.Domain.Access;

namespace LeadFunctions.Domain.Model;

public enum ImportStatus { Running, Done, Failed }

/// <summary>What an import has done so far (SPEC 4.6).</summary>
public sealed class ImportCounts
{
    /// <summary>Data rows in the file.</summary>
    public int Rows { get; set; }
    public int Stored { get; set; }
    /// <summary>Rows refused (reported in errors with their line), and stored nothing.</summary>
    public int Failed { get; set; }
    /// <summary>Stored records whose duplicate check is done.</summary>
    public int Checked { get; set; }
    /// <summary>Checked records that have similar records.</summary>
    public int Flagged { get; set; }
}

/// <summary>A row that was refused: its line in the file (the header is line 1 of a CSV) and why.</summary>
public sealed record ImportRowError(int Line, IReadOnlyDictionary<string, string[]> Errors);

/// <summary>An import as GET /imports/{id} shows it.</summary>
public sealed class ImportRecord
{
    public string Id { get; set; } = "";
    public ImportStatus Status { get; set; }
    public ImportCounts Counts { get; set; } = new();
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>
    /// Who started the import (SPEC 10): its rows are stored in this actor's name, by the queue
    /// function, however late. Null on imports started before actors were recorded.
    /// </summary>
    public Actor? Actor { get; set; }
    /// <summary>Refused rows in line order (the first 1,000; <see cref="Counts"/> has them all).</summary>
    public List<ImportRowError> Errors { get; set; } = [];
}
