using System.Text.Json.Nodes;
using LeadFunctions.Domain.Access;

namespace LeadFunctions.Functions.OpenApi;

/// <summary>
/// How callers prove who they are (SPEC 10), as the document states it: a person's Microsoft Entra
/// ID token (authorization code with PKCE), any bearer token the app accepts (an application's
/// client-credential token, or an API key), or an API key in x-api-key. Each operation names the
/// least role it needs in x-required-role and in its description.
/// </summary>
internal static class OpenApiSecurity
{
    public const string EntraId = "entraId";
    public const string Bearer = "bearer";
    public const string ApiKey = "apiKey";

    /// <summary>The delegated scope the console asks for, as api://{client id}/access_as_user.</summary>
    public const string Scope = "access_as_user";

    public const string RoleExtension = "x-required-role";

    public const string Summary =
        "Every route except capture, the capture script, the console and its files, health and this document needs a credential: "
        + "a person's Microsoft Entra ID access token (Authorization: Bearer, from the authorization code flow with PKCE), "
        + "an application's Entra token with an app role (client credentials), or an API key (x-api-key: lf_…, or Authorization: Bearer lf_…). "
        + "Each operation names the least role it needs (x-required-role; sales < manager < admin, each including the ones below): "
        + "401 means no valid credential, 403 a role too low.";

    /// <summary>What a non-public operation accepts: any one of the three.</summary>
    public static JsonArray Requirements() => new(
        new JsonObject { [EntraId] = new JsonArray(Scope) },
        new JsonObject { [Bearer] = new JsonArray() },
        new JsonObject { [ApiKey] = new JsonArray() });

    /// <summary>The sentence each protected operation's description ends with.</summary>
    public static string Needs(Role role) => $"Needs the {role.Name()} role.";

    public static string Forbidden(Role role) => role == Role.Sales
        ? "The caller has no LeadFunctions role, or the salesperson it signs in as is deactivated."
        : $"The caller's role is below {role.Name()}, or the salesperson it signs in as is deactivated.";

    public const string Unauthorized =
        "No credential, or one that is not valid: a token that is expired, not signed by the Auth:Authority issuer, or for another audience; an unknown or revoked API key.";

    public static JsonObject Schemes()
    {
        // The tenant's own endpoints are https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize
        // and …/token, but an OpenAPI URL cannot hold a placeholder (the linters check its form), and the
        // document is the same for every deployment: the URLs name "organizations" and the description says
        // to use the tenant's, which a single-tenant registration (what infra/hooks makes) needs.
        const string Login = "https://login.microsoftonline.com/organizations/oauth2/v2.0/";
        return new JsonObject
        {
            [EntraId] = new JsonObject
            {
                ["type"] = "oauth2",
                ["description"] = "People sign in with Microsoft Entra ID: the authorization code flow with PKCE, as a public client (no secret), "
                    + "asking for the scope api://{client id}/access_as_user of the LeadFunctions app registration (Auth:ClientId). "
                    + "Use your tenant's endpoints, https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize and /token "
                    + "({tenant}: the directory id in Auth:Authority); the URLs below name the multi-tenant endpoint only because a URL here "
                    + "cannot hold a placeholder. The access token is sent as Authorization: Bearer and validated by the app itself "
                    + "(issuer Auth:Authority, audience Auth:Audience, lifetime, signature). The role comes from the token's roles claim "
                    + "(app roles sales, manager, admin), else from the salesperson with the token's email; Auth:Admins are admins.",
                ["flows"] = new JsonObject
                {
                    ["authorizationCode"] = new JsonObject
                    {
                        ["authorizationUrl"] = Login + "authorize",
                        ["tokenUrl"] = Login + "token",
                        ["refreshUrl"] = Login + "token",
                        // Redocly's switch for PKCE in its "try it" console; OpenAPI itself has no word for it.
                        ["x-usePkce"] = true,
                        ["scopes"] = new JsonObject
                        {
                            [Scope] = "Call LeadFunctions as the signed-in person (asked for as api://{client id}/access_as_user).",
                        },
                    },
                },
            },
            [Bearer] = new JsonObject
            {
                ["type"] = "http",
                ["scheme"] = "bearer",
                ["bearerFormat"] = "JWT or lf_ API key",
                ["description"] = "Authorization: Bearer with an Entra access token for this API (a person's, or an application's from the client-credentials "
                    + "flow, scope api://{client id}/.default, with the app role sales, manager or admin assigned to it), or with an API key (lf_…).",
            },
            [ApiKey] = new JsonObject
            {
                ["type"] = "apiKey",
                ["in"] = "header",
                ["name"] = "x-api-key",
                ["description"] = "An API key (lf_…), made by an admin with POST /apikeys, shown once, revoked with DELETE /apikeys/{id}; "
                    + "it acts with the role it was made with. Authorization: Bearer lf_… works too. The function key grants nothing on these routes.",
            },
        };
    }
}
