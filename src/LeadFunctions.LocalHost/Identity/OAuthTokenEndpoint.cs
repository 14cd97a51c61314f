using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.IdentityModel.Tokens;

namespace LeadFunctions.LocalHost.Identity;

/// <summary>
/// <c>POST /.auth/dev/token</c> with a form body: the OAuth 2.0 token endpoint a public client such
/// as MSAL.js redeems its code at (grant_type authorization_code with the PKCE verifier) and
/// refreshes at (grant_type refresh_token). Errors are OAuth's JSON (RFC 6749 5.2), not problems,
/// since that is what the client libraries read.
/// </summary>
public sealed class OAuthTokenEndpoint(DevIdentityOptions options, DevTokens tokens, AuthorizationGrants grants)
{
    private static readonly string[] OpenIdScopes = ["openid", "profile", "offline_access", "email"];

    public async Task HandleAsync(HttpContext context)
    {
        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(context.RequestAborted);
        }
        catch (InvalidDataException e)
        {
            await ErrorAsync(context, "invalid_request", $"The form cannot be read: {e.Message}");
            return;
        }
        string? Value(string name) => form[name] is { Count: 1 } values && !string.IsNullOrEmpty(values[0]) ? values[0] : null;

        var clientId = Value("client_id");
        if (clientId is null)
        {
            await ErrorAsync(context, "invalid_request", "client_id is missing.");
            return;
        }

        AuthorizationGrants.Issued? grant;
        string? problem;
        switch (Value("grant_type"))
        {
            case "authorization_code":
                var (code, verifier, redirectUri) = (Value("code"), Value("code_verifier"), Value("redirect_uri"));
                if (code is null || verifier is null || redirectUri is null)
                {
                    await ErrorAsync(context, "invalid_request", "The authorization_code grant needs code, code_verifier and redirect_uri.");
                    return;
                }
                (grant, problem) = grants.RedeemCode(code, clientId, redirectUri, verifier);
                break;
            case "refresh_token":
                if (Value("refresh_token") is not { } refreshToken)
                {
                    await ErrorAsync(context, "invalid_request", "The refresh_token grant needs refresh_token.");
                    return;
                }
                (grant, problem) = grants.RedeemRefreshToken(refreshToken, clientId);
                break;
            case null:
                await ErrorAsync(context, "invalid_request", "grant_type is missing.");
                return;
            default:
                await ErrorAsync(context, "unsupported_grant_type", "This provider supports authorization_code (with PKCE) and refresh_token.");
                return;
        }
        if (grant is null)
        {
            await ErrorAsync(context, "invalid_grant", problem!);
            return;
        }

        // A refresh names the scope it wants (MSAL asks per resource); everything is granted here, so it is taken as asked.
        var scope = Value("scope") ?? grant.Scope;
        var audience = Audience(scope);
        var lifetime = DevTokens.DefaultLifetime;
        var answer = new TokenAnswer(
            tokens.AccessToken(grant.User, audience, lifetime, clientId),
            tokens.IdToken(grant.User, clientId, grant.Nonce),
            "Bearer",
            (int)lifetime.TotalSeconds,
            string.IsNullOrWhiteSpace(scope) ? $"{options.Audience}/{DevIdentity.UserScope}" : scope,
            grants.IssueRefreshToken(grant.User, clientId, grant.Scope),
            Value("client_info") == "1" ? ClientInfo(grant.User) : null);

        context.Response.StatusCode = StatusCodes.Status200OK;
        // RFC 6749 5.1: token answers are never cached.
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsJsonAsync(answer, AnswerJson, context.RequestAborted);
    }

    /// <summary>The resource of the first API scope asked for ("api://x/access_as_user" is for api://x), as Entra does; else the app's audience.</summary>
    private string Audience(string? scope)
    {
        var apiScope = (scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(s => !OpenIdScopes.Contains(s, StringComparer.OrdinalIgnoreCase) && s.LastIndexOf('/') > 0);
        return apiScope is null ? options.Audience : apiScope[..apiScope.LastIndexOf('/')];
    }

    /// <summary>MSAL's account key: the user's and tenant's ids (Entra sends it when asked with client_info=1).</summary>
    private static string ClientInfo(DevUser user) =>
        Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { uid = user.ObjectId.ToString("D"), utid = DevIdentity.TenantId.ToString("D") })));

    private static async Task ErrorAsync(HttpContext context, string error, string description)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsJsonAsync(new OAuthError(error, description), AnswerJson, context.RequestAborted);
    }

    private static readonly JsonSerializerOptions AnswerJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private sealed record TokenAnswer(string AccessToken, string IdToken, string TokenType, int ExpiresIn, string Scope, string RefreshToken, string? ClientInfo);

    private sealed record OAuthError(string Error, string ErrorDescription);
}
