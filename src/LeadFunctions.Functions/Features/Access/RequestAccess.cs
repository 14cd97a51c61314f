using System.Security.Claims;
using LeadFunctions.Domain.Access;
using LeadFunctions.Domain.Errors;
using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Access;
using LeadFunctions.Infrastructure.Directory;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace LeadFunctions.Functions.Features.Access;

/// <summary>
/// The one place a request's credential is checked (SPEC 10): an API key (<c>x-api-key</c>, or
/// <c>Authorization: Bearer lf_…</c>) or a bearer token from the authority, validated by ASP.NET
/// Core's JwtBearer handler (discovery, signing keys and their rollover, issuer, audience,
/// lifetime). Every route but the public ones goes through <see cref="AuthorizeAsync"/>.
/// </summary>
public sealed class RequestAccess(ApiKeyStore keys, DirectoryStore directory, IOptions<AuthOptions> options)
{
    public const string ApiKeyHeader = "x-api-key";
    private const string CallerItem = "LeadFunctions.Caller";

    /// <summary>The caller of a request already authorized.</summary>
    public static Caller CallerOf(HttpRequest request) =>
        request.HttpContext.Items[CallerItem] as Caller ?? throw new InvalidOperationException("The request was not authorized: run it through Api.RunAsync with a role.");

    /// <exception cref="UnauthorizedException">No credential, or one that is not valid.</exception>
    /// <exception cref="ForbiddenException">A valid credential whose role is below <paramref name="required"/>.</exception>
    public async Task<Caller> AuthorizeAsync(HttpRequest request, Role required, CancellationToken ct)
    {
        var caller = await AuthenticateAsync(request, ct);
        if (!caller.Has(required))
        {
            throw new ForbiddenException($"This needs the {required.Name()} role; {caller.Actor.Name} has the {caller.Role.Name()} role.");
        }
        request.HttpContext.Items[CallerItem] = caller;
        return caller;
    }

    private async Task<Caller> AuthenticateAsync(HttpRequest request, CancellationToken ct)
    {
        string? apiKey = request.Headers[ApiKeyHeader];
        string? authorization = request.Headers.Authorization;
        var bearer = authorization?.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) == true ? authorization[7..].Trim() : null;
        if (string.IsNullOrEmpty(apiKey) && ApiKeyStore.LooksLikeKey(bearer))
        {
            apiKey = bearer;
        }
        if (!string.IsNullOrEmpty(apiKey))
        {
            var key = await keys.FindAsync(apiKey, ct) ?? throw new UnauthorizedException("The API key is not valid: it is unknown, mistyped or revoked.");
            return new Caller(Actor.ApiKey(key.Id, key.Name), key.Role, null);
        }
        if (!string.IsNullOrEmpty(bearer))
        {
            return await FromTokenAsync(request, ct);
        }
        if (request.Headers.ContainsKey("x-functions-key") || request.Query.ContainsKey("code"))
        {
            throw new UnauthorizedException("A function key no longer opens the API: sign in, or send an API key in the x-api-key header.");
        }
        throw new UnauthorizedException("Sign in, or send an API key in the x-api-key header (or as Authorization: Bearer lf_…).");
    }

    private async Task<Caller> FromTokenAsync(HttpRequest request, CancellationToken ct)
    {
        var result = await request.HttpContext.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
        if (result.Failure is { } failure)
        {
            // A token that is not one (malformed, expired, foreign, for another audience) proves nothing;
            // the authority being unreachable is our failure, not the caller's, and answers 500.
            throw failure is SecurityTokenException or ArgumentException
                ? new UnauthorizedException($"The bearer token is not valid: {Reason(failure)}", invalidToken: true)
                : failure;
        }
        var principal = result.Principal ?? throw new UnauthorizedException("The bearer token is not valid.", invalidToken: true);
        var roles = principal.FindAll("roles").Select(c => c.Value).ToList();
        var email = EmailAddress.Normalize(principal.FindFirst("preferred_username")?.Value ?? principal.FindFirst("email")?.Value ?? principal.FindFirst("upn")?.Value);
        if (email is null && principal.FindFirst("scp") is null)
        {
            return FromApplication(principal, roles);
        }
        return await FromPersonAsync(principal, email, roles, ct);
    }

    /// <summary>An Entra application signed in with its own credential (client credentials): its app role is its role.</summary>
    private static Caller FromApplication(ClaimsPrincipal principal, IReadOnlyList<string> roles)
    {
        var appId = principal.FindFirst("azp")?.Value ?? principal.FindFirst("appid")?.Value ?? principal.FindFirst("sub")?.Value ?? "unknown";
        var role = Roles.Highest(roles) ?? throw new ForbiddenException($"The application {appId} has no LeadFunctions app role (sales, manager or admin).");
        return new Caller(Actor.ApiKey("app:" + appId, "Application " + appId), role, null);
    }

    private async Task<Caller> FromPersonAsync(ClaimsPrincipal principal, string? email, IReadOnlyList<string> roles, CancellationToken ct)
    {
        var objectId = principal.FindFirst("oid")?.Value;
        var people = await directory.AllAsync<Salesperson>(ct);
        var person = people.FirstOrDefault(p => objectId is not null && string.Equals(p.ObjectId, objectId, StringComparison.OrdinalIgnoreCase))
            ?? people.FirstOrDefault(p => email is not null && EmailAddress.Normalize(p.Email) == email);
        var admin = email is not null && options.Value.AdminEmails.Contains(email);
        var shown = principal.FindFirst("name")?.Value ?? email ?? "someone";
        if (person is null)
        {
            // An admin from Auth:Admins has no salesperson id: their Entra object id tells two of them apart.
            return admin
                ? new Caller(Actor.Person(objectId, shown), Role.Admin, email)
                : throw new ForbiddenException($"You are signed in as {email ?? shown}, but you are not let in yet: ask an admin to add you as a salesperson.");
        }
        if (!person.Active)
        {
            throw new ForbiddenException($"{person.Name} is deactivated: ask an admin to make you active again.");
        }
        // The token's app roles win; the directory's role is for tenants that assign none.
        var role = admin ? Role.Admin : Roles.Highest(roles) ?? person.Role
            ?? throw new ForbiddenException($"{person.Name} has no role yet: ask an admin to give you sales, manager or admin.");
        return new Caller(Actor.Person(person.Id, person.Name), role, email);
    }

    private static string Reason(Exception failure) => failure switch
    {
        SecurityTokenExpiredException => "it has expired.",
        SecurityTokenNotYetValidException => "it is not valid yet.",
        SecurityTokenInvalidAudienceException => "it is for another audience.",
        SecurityTokenInvalidIssuerException => "it is from another issuer or tenant.",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "its signature is not the authority's.",
        _ => "it could not be read.",
    };
}
