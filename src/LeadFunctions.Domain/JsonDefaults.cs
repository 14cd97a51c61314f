using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using LeadFunctions.Domain.Leads;
using LeadFunctions.Domain.Model;

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
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OrderFields } },
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private static void OrderFields(JsonTypeInfo type)
    {
        if (!typeof(ContactDetails).IsAssignableFrom(type.Type))
        {
            return;
        }
        foreach (var property in type.Properties)
        {
            var order = LeadFields.Order.IndexOf(property.Name);
            // A field missing from the list would land in no defined place: fail where it is first written.
            property.Order = order >= 0 ? order : throw new InvalidOperationException($"{type.Type.Name}.{property.Name} is missing from LeadFields.Order.");
        }
    }
}
