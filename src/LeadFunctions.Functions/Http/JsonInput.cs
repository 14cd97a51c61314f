using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Errors;

namespace LeadFunctions.Functions.Http;

/// <summary>
/// Reads request bodies strictly: an unknown member or a value of the wrong type is a validation
/// error naming the field, never a silently ignored input.
/// </summary>
public static class JsonInput
{
    public static JsonSerializerOptions Options { get; } = Create();

    public static T Deserialize<T>(JsonNode node)
    {
        try
        {
            return node.Deserialize<T>(Options) ?? throw ValidationException.For("body", "The body must be a JSON object.");
        }
        catch (JsonException e)
        {
            var field = e.Path is { Length: > 2 } path ? path.TrimStart('$', '.').Split('.', '[')[0] : "body";
            throw ValidationException.For(string.IsNullOrEmpty(field) ? "body" : field, Describe(e));
        }
    }

    private static string Describe(JsonException e) =>
        e.Message.Contains("could not be mapped", StringComparison.Ordinal)
            ? "This field is unknown."
            : "This value has the wrong type or format.";

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonDefaults.Options)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            // A null for a list or a required text is bad input, not a crash later on.
            RespectNullableAnnotations = true,
        };
        options.MakeReadOnly();
        return options;
    }
}
