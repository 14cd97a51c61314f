namespace LeadFunctions.Functions.Features.Access;

/// <summary>
/// Settings section "Auth" (SPEC 10): who issues the people's tokens and for what audience. In
/// Development the local host defaults both to its own development identity provider; in Azure the
/// infrastructure sets the tenant and the app registration.
/// </summary>
public sealed class AuthOptions
{
    /// <summary>The delegated scope the API's registration exposes: a person's token for this API carries it.</summary>
    public const string UserScope = "access_as_user";

    /// <summary>The token issuer's base URL, whose /.well-known/openid-configuration names its keys, e.g. https://login.microsoftonline.com/{tenant}/v2.0.</summary>
    public string Authority { get; set; } = "";

    /// <summary>
    /// The audiences a token may be for, comma-separated: the API's application ID URI and its client id
    /// (Entra's v2.0 access tokens name the client id whichever form was asked for).
    /// </summary>
    public string Audience { get; set; } = "";

    /// <summary>The console's client id (a public client with PKCE): the console starts MSAL with it.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>Emails that are admins whatever the token or the directory says: how the first admin gets in.</summary>
    public string Admins { get; set; } = "";

    public IReadOnlyList<string> Audiences => Split(Audience);

    public IReadOnlySet<string> AdminEmails => Split(Admins).Select(e => e.ToLowerInvariant()).ToHashSet();

    private static string[] Split(string list) =>
        list.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
