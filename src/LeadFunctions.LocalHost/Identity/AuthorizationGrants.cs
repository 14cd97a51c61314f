using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace LeadFunctions.LocalHost.Identity;

/// <summary>
/// The codes and refresh tokens handed out, in memory only (a restart signs everyone out, which
/// the new signing key would do anyway). A code is single-use, lives two minutes and redeems only
/// for the client, redirect URI and PKCE verifier it was issued for (RFC 6749 4.1.3, RFC 7636).
/// </summary>
public sealed class AuthorizationGrants(TimeProvider time)
{
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(2);

    /// <summary>A working day: long enough that the console keeps its session, short enough to be a session.</summary>
    public static readonly TimeSpan RefreshLifetime = TimeSpan.FromDays(1);

    private readonly ConcurrentDictionary<string, Issued> codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Issued> refreshTokens = new(StringComparer.Ordinal);

    /// <summary>What a code or refresh token stands for.</summary>
    public sealed record Issued(DevUser User, string ClientId, string? Scope, string? Nonce, string? RedirectUri, string? CodeChallenge, DateTimeOffset ExpiresAt);

    public string IssueCode(AuthorizeRequest request, DevUser user) =>
        Add(codes, new Issued(user, request.ClientId, request.Scope, request.Nonce, request.RedirectUri, request.CodeChallenge, time.GetUtcNow() + CodeLifetime));

    public string IssueRefreshToken(DevUser user, string clientId, string? scope) =>
        Add(refreshTokens, new Issued(user, clientId, scope, null, null, null, time.GetUtcNow() + RefreshLifetime));

    /// <summary>The grant of a code, or why not (OAuth's invalid_grant). A code is gone after its first try, right or wrong, so a verifier cannot be guessed at.</summary>
    public (Issued? Grant, string? Problem) RedeemCode(string code, string clientId, string redirectUri, string verifier)
    {
        if (!codes.TryRemove(code, out var grant) || grant.ExpiresAt <= time.GetUtcNow())
        {
            return (null, "The code is unknown, was used already or has expired (codes live 2 minutes).");
        }
        if (!string.Equals(grant.ClientId, clientId, StringComparison.Ordinal))
        {
            return (null, "The code was issued to another client_id.");
        }
        if (!string.Equals(grant.RedirectUri, redirectUri, StringComparison.Ordinal))
        {
            return (null, "redirect_uri is not the one the code was issued for.");
        }
        return Matches(verifier, grant.CodeChallenge!) ? (grant, null) : (null, "code_verifier does not match the code_challenge.");
    }

    /// <summary>The grant of a refresh token, which is then replaced (rotation), or why not.</summary>
    public (Issued? Grant, string? Problem) RedeemRefreshToken(string token, string clientId)
    {
        if (!refreshTokens.TryRemove(token, out var grant) || grant.ExpiresAt <= time.GetUtcNow())
        {
            return (null, "The refresh token is unknown, was used already or has expired.");
        }
        return string.Equals(grant.ClientId, clientId, StringComparison.Ordinal)
            ? (grant, null)
            : (null, "The refresh token was issued to another client_id.");
    }

    /// <summary>RFC 7636 4.6: BASE64URL(SHA256(ASCII(verifier))) equals the challenge; a verifier is 43 to 128 unreserved characters.</summary>
    private static bool Matches(string verifier, string challenge)
    {
        if (verifier.Length is < 43 or > 128 || !verifier.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~'))
        {
            return false;
        }
        var computed = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(computed), Encoding.ASCII.GetBytes(challenge));
    }

    private string Add(ConcurrentDictionary<string, Issued> grants, Issued grant)
    {
        // A handful of entries on a developer's machine: pruning them all on each issue costs nothing.
        var now = time.GetUtcNow();
        foreach (var (key, old) in grants)
        {
            if (old.ExpiresAt <= now)
            {
                grants.TryRemove(key, out _);
            }
        }
        var value = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        grants[value] = grant;
        return value;
    }
}
