using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LeadFunctions.Infra.Tests;

/// <summary>
/// Reads a compiled ARM template with its nested module deployments: every resource with the
/// module it is declared in, the values each module is given, and lookups by type.
/// </summary>
public sealed partial class ArmTemplate(JsonObject root)
{
    public JsonObject Root => root;

    public IEnumerable<(string Module, JsonObject Resource)> Resources => ResourcesOf("main", root);

    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public JsonObject Module(string name) =>
        Own(root).Single(r => Type(r) == "Microsoft.Resources/deployments" && r["name"]!.GetValue<string>() == name);

    /// <summary>JSON text with ARM expressions as written ('…', not \u0027…).</summary>
    public static string Text(JsonNode? node) => node?.ToJsonString(Readable) ?? "";

    /// <summary>
    /// A resource's text with the module's variables put in (<c>variables('roles').owner</c> →
    /// the value), so that tests read what is deployed rather than how it is named.
    /// </summary>
    public string Resolved(JsonObject resource)
    {
        var (module, _) = Resources.First(r => ReferenceEquals(r.Resource, resource));
        var variables = (module == "main" ? root : Module(module)["properties"]!["template"]!.AsObject())["variables"] as JsonObject;
        return VariableMember().Replace(Text(resource), match =>
            variables?[match.Groups[1].Value]?[match.Groups[2].Value] is JsonValue value ? value.ToString() : match.Value);
    }

    public JsonObject One(string type) =>
        Resources.Where(r => string.Equals(Type(r.Resource), type, StringComparison.OrdinalIgnoreCase) && r.Resource["existing"] is null)
            .Should().ContainSingle($"the template declares one {type}").Which.Resource;

    public IEnumerable<JsonObject> All(string type) =>
        Resources.Where(r => string.Equals(Type(r.Resource), type, StringComparison.OrdinalIgnoreCase) && r.Resource["existing"] is null).Select(r => r.Resource);

    public static string Type(JsonObject resource) => resource["type"]!.GetValue<string>();

    private static IEnumerable<(string Module, JsonObject Resource)> ResourcesOf(string module, JsonObject template)
    {
        foreach (var resource in Own(template))
        {
            yield return (module, resource);
            if (Type(resource) == "Microsoft.Resources/deployments" && resource["properties"]?["template"] is JsonObject nested)
            {
                foreach (var inner in ResourcesOf(resource["name"]!.GetValue<string>(), nested))
                {
                    yield return inner;
                }
            }
        }
    }

    // Bicep writes resources as an object keyed by symbolic name (languageVersion 2.0) or as an array.
    private static IEnumerable<JsonObject> Own(JsonObject template) => template["resources"] switch
    {
        JsonObject named => named.Select(p => p.Value!.AsObject()),
        JsonArray list => list.Select(n => n!.AsObject()),
        _ => [],
    };

    [GeneratedRegex(@"variables\('(\w+)'\)\.(\w+)")]
    private static partial Regex VariableMember();
}
