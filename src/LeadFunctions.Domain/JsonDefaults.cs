using System.Text.Json;
using System.Text.Json.Serialization;

namespace LeadFunctions.Domain;

/// <summary>The wire format of SPEC 3: camelCase, ISO-8601, enumerations as lower-case (kebab) strings.</summary>
public static class JsonDefaults
{
    public static JsonSerializerOptions Options { get; } = Create();

    public static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            // A number is a JSON number: "2" for a priority is the wrong type, not a quiet conversion.
            NumberHandling = JsonNumberHandling.Strict,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
