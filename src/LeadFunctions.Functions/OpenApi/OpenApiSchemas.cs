using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using LeadFunctions.Domain;

namespace LeadFunctions.Functions.OpenApi;

/// <summary>
/// The component schemas, generated from the very types the API reads and writes with the API's
/// JSON options (JsonSchemaExporter), so that the description follows the code. A type that has
/// a component of its own is referenced by $ref wherever it is nested.
/// </summary>
internal sealed class OpenApiSchemas
{
    private readonly Dictionary<Type, string> names = [];
    private readonly JsonObject schemas = [];
    private readonly List<(Type Type, string Name, string Description, string[]? Required, string[]? Without)> pending = [];

    public JsonObject Components => schemas;

    /// <summary>Adds a type's schema under a name; <paramref name="required"/> replaces what the exporter infers (null keeps it); <paramref name="without"/> makes an input variant without server-set fields.</summary>
    public OpenApiSchemas Add(Type type, string name, string description, string[]? required = null, string[]? without = null)
    {
        // An input variant (without server-set fields) is its own schema, never what the type refers to.
        if (without is null)
        {
            names[type] = name;
        }
        pending.Add((type, name, description, required, without));
        return this;
    }

    /// <summary>A schema written by hand (problem details), not generated from a type.</summary>
    public OpenApiSchemas AddRaw(string name, JsonObject schema)
    {
        schemas[name] = schema;
        return this;
    }

    /// <summary>Generates every added schema; call once all are added, so that each can refer to the others.</summary>
    public JsonObject Build()
    {
        foreach (var (type, name, description, required, without) in pending)
        {
            var schema = JsonDefaults.Options.GetJsonSchemaAsNode(type, new JsonSchemaExporterOptions
            {
                TreatNullObliviousAsNonNullable = true,
                TransformSchemaNode = Transform,
            }).AsObject();
            foreach (var property in without ?? [])
            {
                schema["properties"]!.AsObject().Remove(property);
            }
            if (required is not null || without is not null)
            {
                schema.Remove("required");
                if (required is { Length: > 0 })
                {
                    schema["required"] = new JsonArray([.. required.Select(r => JsonValue.Create(r))]);
                }
            }
            schema["description"] = description;
            schemas[name] = schema;
        }
        pending.Clear();
        return schemas;
    }

    public static JsonObject Ref(string name) => new() { ["$ref"] = $"#/components/schemas/{name}" };

    private JsonNode Transform(JsonSchemaExporterContext context, JsonNode node)
    {
        var type = Nullable.GetUnderlyingType(context.TypeInfo.Type) ?? context.TypeInfo.Type;
        if (context.Path.Length > 0 && names.TryGetValue(type, out var name))
        {
            // A nullable member allows null beside the referenced schema.
            var nullable = node is JsonObject o && o["type"] is JsonArray types && types.Any(t => t?.GetValue<string>() == "null");
            return nullable ? new JsonObject { ["anyOf"] = new JsonArray(Ref(name), new JsonObject { ["type"] = "null" }) } : Ref(name);
        }
        if (node is JsonObject obj && obj["type"] is JsonArray array && array.Count == 1)
        {
            obj["type"] = array[0]!.GetValue<string>();
        }
        if (node is JsonObject enumeration && enumeration["enum"] is JsonArray values && enumeration["type"] is null)
        {
            // Enumerations are strings on the wire; a nullable one also allows null.
            enumeration["type"] = values.Any(v => v is null) ? new JsonArray("string", "null") : "string";
        }
        return node;
    }
}
