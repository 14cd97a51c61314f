using System.Text.Json.Nodes;

namespace LeadFunctions.Domain.Leads;

/// <summary>
/// A PATCH body (RFC 7396 JSON merge patch) as the handlers take it. Only an object can be one
/// here: a scalar or array patch would replace the whole record, which no route allows.
/// </summary>
public sealed record MergePatch
{
    private readonly JsonObject document;

    public MergePatch(JsonObject document) => this.document = document;

    /// <summary>The top-level fields it sets or clears, so a handler can refuse some before reading anything.</summary>
    public IEnumerable<string> FieldNames => document.Select(p => p.Key);

    /// <summary>The target as patched, a new object: absent fields stay, null ones are removed; the target is not changed.</summary>
    public JsonObject ApplyTo(JsonNode? target) => JsonMergePatch.Apply(target, document)!.AsObject();
}
