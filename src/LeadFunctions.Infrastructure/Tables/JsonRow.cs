using System.Text.Encodings.Web;
using System.Text.Json;
using Azure.Data.Tables;
using LeadFunctions.Domain;

namespace LeadFunctions.Infrastructure.Tables;

/// <summary>
/// Records are stored whole as JSON in the API's own format, so that a field added to a record
/// needs no mapping code; the few columns that queries filter on sit beside it. A string column
/// holds at most 32K characters, so the JSON is spread over <see cref="MaxChunks"/> columns
/// ("Data", "Data1", …), every one always written so that a record that shrinks leaves no stale
/// tail behind even when the row is merged.
/// </summary>
public static class JsonRow
{
    public const string DataColumn = "Data";
    public const int ChunkLength = 30_000;
    public const int MaxChunks = 8;

    /// <summary>Largest JSON a row holds (well under the 1 MiB entity limit).</summary>
    public const int MaxJsonLength = ChunkLength * MaxChunks;

    /// <summary>
    /// Storage JSON escapes only what JSON requires: the API's default escaping of every non-ASCII
    /// character would make a Cyrillic description six times longer.
    /// </summary>
    public static JsonSerializerOptions StorageOptions { get; } = new(JsonDefaults.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, StorageOptions);

    /// <exception cref="RecordTooLargeException">The record does not fit in one row.</exception>
    public static TableEntity Create<T>(string partitionKey, string rowKey, T value) => CreateFromJson(partitionKey, rowKey, Serialize(value));

    /// <exception cref="RecordTooLargeException">The JSON does not fit in one row.</exception>
    public static TableEntity CreateFromJson(string partitionKey, string rowKey, string json)
    {
        if (json.Length > MaxJsonLength)
        {
            throw new RecordTooLargeException(json.Length, MaxJsonLength);
        }
        var entity = new TableEntity(partitionKey, rowKey);
        for (var i = 0; i < MaxChunks; i++)
        {
            var start = i * ChunkLength;
            entity[ColumnName(i)] = start < json.Length ? json.Substring(start, Math.Min(ChunkLength, json.Length - start)) : "";
        }
        return entity;
    }

    public static T Read<T>(TableEntity entity) =>
        JsonSerializer.Deserialize<T>(ReadJson(entity), StorageOptions)
            ?? throw new InvalidDataException($"Row {entity.PartitionKey}/{entity.RowKey} holds no data.");

    public static string ReadJson(TableEntity entity) =>
        string.Concat(Enumerable.Range(0, MaxChunks).Select(i => entity.GetString(ColumnName(i))));

    private static string ColumnName(int index) => index == 0 ? DataColumn : DataColumn + index;
}

/// <summary>A record too large to store: answered 413.</summary>
public sealed class RecordTooLargeException(int length, int limit)
    : Exception($"The record needs {length} characters of storage; at most {limit} fit.");
