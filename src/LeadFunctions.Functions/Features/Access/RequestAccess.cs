using System.Security.Claims;
using LeadFunctions.Domain.Access;
using LeadFunctions.Domain.Errors;
using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Access;
using LeadFunctions.Infrastructure.Directory;
using LeadFunctions.Infrastructure.Leads;
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
        var scopes = (principal.FindFirst("scp")?.Value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (scopes.Length == 0)
        {
            // Entra's app-only tokens name the application as both subject and object; an ID token
            // (its audience is the console, which may be ours too) names a person and has no scope.
            var objectId = principal.FindFirst("oid")?.Value;
            return principal.FindFirst("idtyp")?.Value == "app" || (objectId is not null && objectId == principal.FindFirst("sub")?.Value)
                ? FromApplication(principal, roles)
                : throw new UnauthorizedException("The bearer token is not an access token for this API: send the access token, not the ID token.", invalidToken: true);
        }
        if (!scopes.Contains(AuthOptions.UserScope, StringComparer.Ordinal))
        {
            throw new UnauthorizedException($"The bearer token does not carry the {AuthOptions.UserScope} scope of this API.", invalidToken: true);
        }
        var email = EmailAddress.Normalize(principal.FindFirst("preferred_username")?.Value ?? principal.FindFirst("upn")?.Value);
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
        var person = people.FirstOrDefault(p => objectId is not null && string.Equals(p.ObjectId, objectId, StringComparison.OrdinalIgnoreCase));
        if (person is null && email is not null
            && people.FirstOrDefault(p => p.ObjectId is null && EmailAddress.Normalize(p.Email) == email) is { } byEmail)
        {
            // An email can be given to someone else later; the object id cannot. The first sign-in
            // pins the record to the account, and a later account with the same email is a stranger.
            person = byEmail;
            await LinkAsync(byEmail.Id, objectId, ct);
        }
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

    private async Task LinkAsync(string salespersonId, string? objectId, CancellationToken ct)
    {
        if (objectId is null || await directory.FindVersionedAsync<Salesperson>(salespersonId, ct) is not { } found || found.Value.ObjectId is not null)
        {
            return;
        }
        found.Value.ObjectId = objectId;
        try
        {
            await directory.ReplaceAsync(salespersonId, found.Value, found.Version, ct);
        }
        catch (ConcurrencyException)
        {
            // Changed meanwhile (or linked by a parallel request): the next sign-in links it.
        }
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
