using System.Text.Json;
using Azure.Data.Tables;
using LeadFunctions.Domain;

namespace LeadFunctions.Storage;

/// <summary>
/// Records are stored whole as one JSON column ("Data"), in the API's own format, so that a field
/// added to a record needs no mapping code; the few columns that queries filter on sit beside it.
/// </summary>
public static class JsonRow
{
    public const string DataColumn = "Data";

    public static TableEntity Create<T>(string partitionKey, string rowKey, T value) =>
        new(partitionKey, rowKey) { [DataColumn] = JsonSerializer.Serialize(value, JsonDefaults.Options) };

    public static T Read<T>(TableEntity entity) =>
        JsonSerializer.Deserialize<T>(entity.GetString(DataColumn), JsonDefaults.Options)
        ?? throw new InvalidDataException($"Row {entity.PartitionKey}/{entity.RowKey} holds no data.");
}
