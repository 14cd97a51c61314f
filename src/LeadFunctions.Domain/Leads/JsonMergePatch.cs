using System.Text.Json.Nodes;

namespace LeadFunctions.Domain.Leads;

/// <summary>RFC 7396 JSON Merge Patch, the body of PATCH /leads/{id}.</summary>
public static class JsonMergePatch
{
    /// <summary>The patched document as a new node; neither input is changed. A null node is JSON null.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch) => Merge(target?.DeepClone(), patch);

    // Works in place on a target the caller owns (a clone), so nested objects are copied once.
    private static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }
        var result = target as JsonObject ?? [];
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else if (value is JsonObject && result[name] is JsonObject nested)
            {
                Merge(nested, value);
            }
            else
            {
                result[name] = Merge(null, value);
            }
        }
        return result;
    }
}
