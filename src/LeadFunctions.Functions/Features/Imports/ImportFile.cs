using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsvHelper;
using CsvHelper.Configuration;
using ValidationException = LeadFunctions.Domain.Errors.ValidationException;
using LeadFunctions.Domain.Leads;
using LeadFunctions.Functions.Http;
using Microsoft.AspNetCore.Http;
using LeadFunctions.Infrastructure.Imports;

namespace LeadFunctions.Functions.Features.Imports;

/// <summary>
/// An import file (SPEC 4.6) read into rows: CSV with a header row of lead field names (parsed by
/// CsvHelper; <c>tags</c> separated by <c>;</c>, numbers read in the invariant culture, consent
/// flags as true/false, yes/no or 1/0) or JSON lines (one object per line, each read as strictly
/// as a POST /leads body). A row that cannot be read is a row error with its line; a file that
/// cannot be read at all (a header naming no field, more than 10,000 rows, invalid UTF-8) is a 400.
/// </summary>
public static class ImportFile
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The lead fields a column may name, as the JSON of POST /leads names them.</summary>
    private static readonly Dictionary<string, Type> Fields = typeof(LeadInput).GetProperties()
        .ToDictionary(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name), p => Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType, StringComparer.Ordinal);

    public static bool IsCsv(HttpRequest request) => MediaType(request) is "text/csv";

    public static bool IsJsonLines(HttpRequest request) => MediaType(request) is "application/x-ndjson" or "application/jsonl" or "application/x-jsonlines";

    /// <summary>What makes two sends the same file: its format and its bytes.</summary>
    public static string Fingerprint(string format, byte[] body) =>
        Convert.ToHexStringLower(SHA256.HashData([.. Encoding.ASCII.GetBytes(format + "\n"), .. body]));

    public static IReadOnlyList<ImportRow> ReadCsv(byte[] body)
    {
        var text = Decode(body);
        var badData = false;
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            // A row with bad quoting or the wrong number of fields is that row's error, not the file's.
            BadDataFound = _ => badData = true,
            MissingFieldFound = null,
            HeaderValidated = null,
            DetectColumnCountChanges = false,
            IgnoreBlankLines = true,
            TrimOptions = TrimOptions.None,
        };
        using var reader = new StringReader(text);
        using var csv = new CsvReader(reader, config);
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { Length: > 0 } header)
        {
            throw ValidationException.For("file", "The file is empty: give a header row of lead field names, then one row per lead.");
        }
        CheckHeader(header);
        var rows = new List<ImportRow>();
        badData = false;
        while (csv.Read())
        {
            var raw = csv.Parser.RawRecord;
            var line = csv.Parser.RawRow - raw.TrimEnd('\r', '\n').Count(c => c == '\n');
            Limit(rows.Count);
            var record = csv.Parser.Record ?? [];
            if (badData)
            {
                badData = false;
                rows.Add(new ImportRow(line, null, "The row's quoting is malformed (a quote inside a field must be doubled, and the field quoted)."));
                continue;
            }
            if (record.Length != header.Length)
            {
                rows.Add(new ImportRow(line, null, $"The row has {record.Length} fields; the header has {header.Length}."));
                continue;
            }
            rows.Add(ToRow(line, header, record));
        }
        return rows;
    }

    public static IReadOnlyList<ImportRow> ReadJsonLines(byte[] body)
    {
        Decode(body);
        var rows = new List<ImportRow>();
        var line = 0;
        var start = 0;
        while (start <= body.Length)
        {
            var end = Array.IndexOf(body, (byte)'\n', start);
            if (end < 0)
            {
                end = body.Length;
            }
            line++;
            var bytes = body.AsSpan(start, end - start).TrimEnd((byte)'\r');
            start = end + 1;
            if (bytes.IsEmpty || bytes.IndexOfAnyExcept((byte)' ', (byte)'\t') < 0)
            {
                continue;
            }
            Limit(rows.Count);
            try
            {
                rows.Add(new ImportRow(line, RequestBody.ParseObject(bytes.ToArray()), null));
            }
            catch (MalformedBodyException e)
            {
                rows.Add(new ImportRow(line, null, e.Message.Replace("The body", "The line", StringComparison.Ordinal)));
            }
        }
        if (rows.Count == 0)
        {
            throw ValidationException.For("file", "The file is empty: give one JSON object per line.");
        }
        return rows;
    }

    private static ImportRow ToRow(int line, string[] header, string[] record)
    {
        var fields = new JsonObject();
        for (var i = 0; i < header.Length; i++)
        {
            var value = record[i];
            if (value.Length == 0)
            {
                continue;
            }
            var type = Fields[header[i]];
            fields[header[i]] = type == typeof(List<string>)
                ? new JsonArray(value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(t => (JsonNode)JsonValue.Create(t)).ToArray())
                : type == typeof(int) && int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole) ? JsonValue.Create(whole)
                : type == typeof(decimal) && decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) ? JsonValue.Create(amount)
                : type == typeof(bool) && FlagText.Parse(value) is { } flag ? JsonValue.Create(flag)
                // Anything else is text: a number or flag that does not read as one fails validation naming its field.
                : JsonValue.Create(value);
        }
        return new ImportRow(line, fields, null);
    }

    private static void CheckHeader(string[] header)
    {
        var errors = new ValidationErrors();
        foreach (var name in header.Where(n => !Fields.ContainsKey(n)).Distinct(StringComparer.Ordinal))
        {
            errors.Add("header", $"'{name}' is not a lead field (use the names of POST /leads, such as name, email, companyName, tags).");
        }
        foreach (var name in header.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            errors.Add("header", $"'{name}' is given twice.");
        }
        if (!errors.IsEmpty)
        {
            throw new ValidationException(errors);
        }
    }

    private static void Limit(int rowsSoFar)
    {
        if (rowsSoFar >= ImportService.MaxRows)
        {
            throw ValidationException.For("file", $"An import takes at most {ImportService.MaxRows:N0} rows: split the file.");
        }
    }

    private static string Decode(byte[] body)
    {
        try
        {
            var text = StrictUtf8.GetString(body);
            return text.StartsWith('\uFEFF') ? text[1..] : text;
        }
        catch (DecoderFallbackException)
        {
            throw new MalformedBodyException("The file is not valid UTF-8.");
        }
    }

    private static string? MediaType(HttpRequest request) =>
        request.ContentType is { } type ? type.Split(';')[0].Trim().ToLowerInvariant() : null;
}
