using System.Text.Json.Nodes;

namespace LeadFunctions.Infrastructure.Imports;

/// <summary>One data row of an import file: its line, and its fields as a lead's JSON, or why it could not be read.</summary>
public sealed record ImportRow(int Line, JsonObject? Fields, string? Problem);

/// <summary>A row to store: where it came from, its fields, and the ids fixed for it when the import started.</summary>
public sealed record ImportItem(int Line, JsonObject Fields, string LeadId, string EntryId, string CheckId);

/// <summary>
/// "Store and check this chunk of an import." Sent before the chunk is written (<paramref name="SentAt"/>):
/// a chunk not there yet is looked at again a moment later, until its import is clearly dead.
/// </summary>
public sealed record ImportMessage(string ImportId, int Chunk, DateTimeOffset SentAt);
