using System.Text.Json.Serialization;
using LeadFunctions.Functions.Features.Access;

namespace LeadFunctions.Functions.Features.Console;

/// <summary>
/// What the console's sign-in library (MSAL.js) is started with, from the Auth settings the API
/// validates tokens with (SPEC 10): served as <c>console/auth.json</c>, so one deployment's settings
/// reach its page without a build step. Nothing in it is secret: the console is a public client.
/// </summary>
public sealed record ConsoleSignIn(
    bool Enabled,
    string? Authority,
    string? ClientId,
    string? Scope,
    string ProtocolMode,
    IReadOnlyList<string> KnownAuthorities)
{
    /// <summary>The delegated scope the app registration exposes (made by the azd hook; the local provider issues it too).</summary>
    public const string UserScope = Access.AuthOptions.UserScope;

    /// <summary>Microsoft Entra ID's sign-in hosts: MSAL's own protocol (AAD) for these, standard OpenID Connect for any other.</summary>
    private static readonly HashSet<string> MicrosoftHosts = new(StringComparer.OrdinalIgnoreCase)
    {
        "login.microsoftonline.com", "login.microsoft.com", "login.windows.net", "login.microsoftonline.us",
        "login.partner.microsoftonline.cn", "login.chinacloudapi.cn",
    };

    /// <summary>The authority's origin (scheme, host, port), for the console's connect-src; null when sign-in is off.</summary>
    [JsonIgnore]
    public string? AuthorityOrigin => Enabled ? new Uri(Authority!).GetLeftPart(UriPartial.Authority) : null;

    public static ConsoleSignIn From(AuthOptions auth)
    {
        var clientId = auth.ClientId.Trim();
        var audience = auth.Audiences.Count > 0 ? auth.Audiences[0] : null;
        // The audience's application ID URI names the API; the azd hook makes it api://{client id}.
        var scope = audience is not null && audience.StartsWith("api://", StringComparison.OrdinalIgnoreCase)
            ? $"{audience.TrimEnd('/')}/{UserScope}"
            : clientId.Length > 0 ? $"api://{clientId}/{UserScope}" : null;
        // MSAL.js accepts https authorities only, as Entra ID's are (the local provider is https too).
        if (!Uri.TryCreate(auth.Authority.Trim(), UriKind.Absolute, out var authority) || authority.Scheme != Uri.UriSchemeHttps
            || clientId.Length == 0 || scope is null)
        {
            return new ConsoleSignIn(false, null, null, null, "AAD", []);
        }
        var microsoft = MicrosoftHosts.Contains(authority.Host) || authority.Host.EndsWith(".ciamlogin.com", StringComparison.OrdinalIgnoreCase);
        var text = authority.GetLeftPart(UriPartial.Path).TrimEnd('/');
        if (microsoft && text.EndsWith("/v2.0", StringComparison.OrdinalIgnoreCase))
        {
            // Auth:Authority is the v2.0 issuer the API validates; MSAL takes the tenant's authority and adds v2.0 itself.
            text = text[..^"/v2.0".Length];
        }
        return new ConsoleSignIn(true, text, clientId, scope, microsoft ? "AAD" : "OIDC", [authority.Authority]);
    }
}
