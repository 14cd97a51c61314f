using LeadFunctions.Domain.Access;
using LeadFunctions.Functions.OpenApi;

namespace LeadFunctions.Functions.Features.Access;

/// <summary>The caller's own route in the OpenAPI document, and the schemas every access-aware answer shares (actor, role).</summary>
internal static class AccessApi
{
    public static Operation[] Operations { get; } =
    [
        new("get", "/me", "getMe", OpenApiTags.Access,
            "The caller, as the API takes it. The actor its changes are recorded under, its role and, for a person, the email it signed in with: the console asks it first, to show what the person may do.",
            new Answer(200, "The caller.", "Me"))
        { Role = Role.Sales },
    ];

    public static void AddSchemas(OpenApiSchemas schemas)
    {
        schemas
            .Add(typeof(Role), "Role", "What a person or key may do, each role including the ones below it: sales works records; manager also bulk conversion, imports and the directory; admin also settings, webhooks, erasures and API keys.")
            .Add(typeof(Actor), "Actor", "Who did a change: a signed-in person (the salesperson's id, or none yet, and name), an API key (its id and name), a web-form visitor, or the app itself.", required: ["kind", "name"])
            .Add(typeof(Me), "Me", "The caller as the API sees it.", required: ["actor", "role"]);
    }
}
