using LeadFunctions.Domain.Access;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LeadFunctions.LocalHost.Identity;

/// <summary>
/// Access and ID tokens shaped as Entra ID's v2.0 tokens for a user (the claims the app reads:
/// oid, tid, preferred_username, email, name, roles, scp), signed with this process's key.
/// </summary>
public sealed class DevTokens(DevIdentityOptions options, DevSigningKey key, TimeProvider time)
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(1);

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <param name="lifetime">Zero or negative makes a token that has already expired (for tests of the refusal).</param>
    public string AccessToken(DevUser user, string audience, TimeSpan lifetime, string? clientId = null)
    {
        var claims = UserClaims(user);
        claims["email"] = user.Email;
        claims["scp"] = DevIdentity.UserScope;
        claims["ver"] = "2.0";
        if (user.Roles is { } roles)
        {
            claims["roles"] = roles.Select(r => r.Name()).ToArray();
        }
        if (clientId is not null)
        {
            claims["azp"] = clientId;
        }
        return Create(audience, lifetime, claims);
    }

    /// <summary>
    /// An application's own token (client credentials), as Entra issues it: the app's roles, its client
    /// id in azp, idtyp "app", and no person (no email, no scp).
    /// </summary>
    public string ApplicationToken(string application, IReadOnlyList<Role>? roles, string audience, TimeSpan lifetime)
    {
        var objectId = DevUser.ApplicationObjectId(application).ToString("D");
        var claims = new Dictionary<string, object>
        {
            ["sub"] = objectId,
            ["oid"] = objectId,
            ["tid"] = DevIdentity.TenantId.ToString("D"),
            ["azp"] = application,
            ["idtyp"] = "app",
            ["ver"] = "2.0",
        };
        if (roles is not null)
        {
            claims["roles"] = roles.Select(r => r.Name()).ToArray();
        }
        return Create(audience, lifetime, claims);
    }

    /// <summary>The ID token of the code flow: who signed in, for the client (aud) that asked, with its nonce.</summary>
    public string IdToken(DevUser user, string clientId, string? nonce)
    {
        var claims = UserClaims(user);
        claims["ver"] = "2.0";
        if (!string.IsNullOrEmpty(nonce))
        {
            claims["nonce"] = nonce;
        }
        return Create(clientId, DefaultLifetime, claims);
    }

    private static Dictionary<string, object> UserClaims(DevUser user) => new()
    {
        ["sub"] = user.Subject,
        ["oid"] = user.ObjectId.ToString("D"),
        ["tid"] = DevIdentity.TenantId.ToString("D"),
        ["preferred_username"] = user.Email,
        ["name"] = user.Name,
    };

    private string Create(string audience, TimeSpan lifetime, Dictionary<string, object> claims)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var expires = now + lifetime;
        // An expired token still has nbf before exp, as a real one that lived its hour would.
        var issued = lifetime > TimeSpan.Zero ? now : expires - DefaultLifetime;
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Authority,
            Audience = audience,
            Claims = claims,
            IssuedAt = issued,
            NotBefore = issued,
            Expires = expires,
            SigningCredentials = key.Credentials,
        });
    }
}
