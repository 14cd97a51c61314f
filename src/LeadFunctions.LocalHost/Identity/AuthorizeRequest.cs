using Microsoft.Extensions.Primitives;

namespace LeadFunctions.LocalHost.Identity;

/// <summary>
/// The parameters of an authorization request (OAuth 2.0 code flow with PKCE, as MSAL.js sends
/// them), checked. The sign-in form carries them back in hidden fields, so its POST is read and
/// checked by the same code as the GET's query: nothing in the form is trusted for being ours.
/// </summary>
public sealed record AuthorizeRequest(
    string ClientId,
    string RedirectUri,
    string ResponseMode,
    string? State,
    string? Nonce,
    string? Scope,
    string CodeChallenge,
    string? LoginHint,
    string? Prompt)
{
    /// <summary>The parameters the sign-in form carries back, by name.</summary>
    public static readonly string[] Carried = ["client_id", "redirect_uri", "response_type", "response_mode", "state", "nonce", "scope", "code_challenge", "code_challenge_method"];

    /// <summary>The request, or the reason it is refused (shown on a page: a refused redirect_uri must not be redirected to).</summary>
    public static (AuthorizeRequest? Request, string? Problem) Read(Func<string, StringValues> parameter)
    {
        string? Value(string name) => parameter(name) is { Count: 1 } values && !string.IsNullOrEmpty(values[0]) ? values[0] : null;

        var clientId = Value("client_id");
        var redirectUri = Value("redirect_uri");
        if (clientId is null)
        {
            return (null, "The request has no client_id.");
        }
        if (LoopbackUris.RedirectUri(redirectUri) is null)
        {
            return (null, "redirect_uri must be one absolute http or https URL on this machine (localhost, 127.0.0.1 or [::1]) without a fragment.");
        }
        if (Value("response_type") != "code")
        {
            return (null, "response_type must be code: this provider only runs the authorization code flow.");
        }
        var responseMode = Value("response_mode") ?? "query";
        if (responseMode is not ("query" or "fragment"))
        {
            return (null, "response_mode must be query or fragment.");
        }
        var challenge = Value("code_challenge");
        // PKCE is what stands in for a client secret in a public client; the plain method would give the secret away.
        if (challenge is null || Value("code_challenge_method") != "S256")
        {
            return (null, "The request needs PKCE: a code_challenge with code_challenge_method S256.");
        }
        if (challenge.Length != 43 || !challenge.All(IsBase64Url))
        {
            return (null, "code_challenge must be the 43 base64url characters of a SHA-256 hash.");
        }
        return (new AuthorizeRequest(clientId, redirectUri!, responseMode, Value("state"), Value("nonce"), Value("scope"), challenge, Value("login_hint"), Value("prompt")), null);
    }

    /// <summary>Where the browser goes next: the redirect URI with the answer in its query or fragment, as asked.</summary>
    public string RedirectWith(IEnumerable<KeyValuePair<string, string?>> answer)
    {
        var values = answer.Append(new("state", State)).Where(p => p.Value is not null)
            .Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value!)}");
        var text = string.Join('&', values);
        return ResponseMode == "fragment"
            ? $"{RedirectUri}#{text}"
            : $"{RedirectUri}{(RedirectUri.Contains('?', StringComparison.Ordinal) ? '&' : '?')}{text}";
    }

    /// <summary>The parameter's value to carry in the form, null when the request did not have it.</summary>
    public string? CarriedValue(string name) => name switch
    {
        "client_id" => ClientId,
        "redirect_uri" => RedirectUri,
        "response_type" => "code",
        "response_mode" => ResponseMode,
        "state" => State,
        "nonce" => Nonce,
        "scope" => Scope,
        "code_challenge" => CodeChallenge,
        "code_challenge_method" => "S256",
        _ => null,
    };

    private static bool IsBase64Url(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';
}
