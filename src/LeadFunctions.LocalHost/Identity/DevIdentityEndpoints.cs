using System.Text.Json;
using LeadFunctions.LocalHost.Http;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Net.Http.Headers;

namespace LeadFunctions.LocalHost.Identity;

/// <summary>
/// The provider's endpoints under /.auth/dev, mapped by the host itself (not functions, so they
/// never reach Azure): OpenID discovery, the keys, the token endpoint (JSON for scripts, a form for
/// OAuth clients), the sign-in page and sign-out. Registered in Development only; elsewhere the
/// paths answer 404 like any unknown route.
/// </summary>
public static class DevIdentityEndpoints
{
    public static IServiceCollection AddDevIdentity(this IServiceCollection services, DevIdentityOptions options, DevCertificate certificate)
    {
        // The app reads the provider's discovery and keys over https, as from Entra: it trusts what the
        // machine trusts and this provider's own certificate (made at start, so in no trust store).
        // Configure runs before the handler's post-configuration builds its back channel from this.
        services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, jwt => jwt.BackchannelHttpHandler = certificate.Handler());
        return services.AddSingleton(options)
            .AddSingleton(certificate)
            .AddSingleton<DevSigningKey>()
            .AddSingleton<DevTokens>()
            .AddSingleton<AuthorizationGrants>()
            .AddSingleton<OAuthTokenEndpoint>()
            .AddSingleton<AuthorizeEndpoint>();
    }

    /// <summary>
    /// CORS for this machine's pages: a sign-in library calls discovery, keys and the token endpoint
    /// with fetch from the app's page, which may be served on another port. Answered here rather
    /// than by routing, which would refuse a preflight for a route that does not declare CORS.
    /// </summary>
    public static void UseDevIdentityCors(this WebApplication app) =>
        app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments(DevIdentity.PathBase))
            {
                await next(context);
                return;
            }
            LoopbackUris.AllowLoopbackOrigin(context);
            if (!HttpMethods.IsOptions(context.Request.Method))
            {
                await next(context);
                return;
            }
            var headers = context.Response.Headers;
            if (headers.AccessControlAllowOrigin.Count > 0)
            {
                headers.AccessControlAllowMethods = "GET, POST";
                headers.AccessControlAllowHeaders = context.Request.Headers.AccessControlRequestHeaders;
                headers.AccessControlMaxAge = "600";
            }
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });

    public static IEndpointRouteBuilder MapDevIdentity(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(DevIdentity.PathBase);
        group.MapGet("/.well-known/openid-configuration", DiscoveryAsync);
        group.MapGet("/keys", KeysAsync);
        group.MapPost("/token", TokenAsync);
        group.MapGet("/authorize", context => context.RequestServices.GetRequiredService<AuthorizeEndpoint>().ShowAsync(context));
        group.MapPost("/authorize", context => context.RequestServices.GetRequiredService<AuthorizeEndpoint>().SubmitAsync(context));
        group.MapGet("/logout", LogoutAsync);
        return endpoints;
    }

    private static Task DiscoveryAsync(HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<DevIdentityOptions>();
        // Snake-case names as OpenID Connect Discovery 1.0 spells them, so a dictionary rather than a record.
        var document = new Dictionary<string, object>
        {
            ["issuer"] = options.Authority,
            ["authorization_endpoint"] = options.AuthorizeUrl,
            ["token_endpoint"] = options.TokenUrl,
            ["jwks_uri"] = options.KeysUrl,
            ["end_session_endpoint"] = options.LogoutUrl,
            ["response_types_supported"] = new[] { "code" },
            ["response_modes_supported"] = new[] { "query", "fragment" },
            ["grant_types_supported"] = new[] { "authorization_code", "refresh_token" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["token_endpoint_auth_methods_supported"] = new[] { "none" },
            ["scopes_supported"] = new[] { "openid", "profile", "email", "offline_access", $"{options.Audience}/{DevIdentity.UserScope}" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
            ["claims_supported"] = new[] { "iss", "aud", "sub", "oid", "tid", "preferred_username", "email", "name", "roles", "scp", "ver", "nonce", "iat", "nbf", "exp" },
        };
        return JsonAsync(context, StatusCodes.Status200OK, document);
    }

    private static Task KeysAsync(HttpContext context)
    {
        var key = context.RequestServices.GetRequiredService<DevSigningKey>();
        return JsonAsync(context, StatusCodes.Status200OK, new { keys = new[] { key.PublicJwk } });
    }

    internal static async Task TokenAsync(HttpContext context)
    {
        // The host listens on loopback and refuses foreign Host names already; this guard stays right even if that ever changes.
        if (!TransportPeer.IsLoopback(context))
        {
            await ProblemResponses.WriteAsync(context, StatusCodes.Status403Forbidden, "Forbidden", "The development token endpoint answers this machine only.");
            return;
        }
        _ = MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType);
        if (mediaType?.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
        {
            await context.RequestServices.GetRequiredService<OAuthTokenEndpoint>().HandleAsync(context);
            return;
        }
        if (mediaType?.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) != true)
        {
            await ProblemResponses.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, "Unsupported Media Type",
                "Send application/json {\"email\": …} for a token, or an OAuth 2.0 token request as application/x-www-form-urlencoded.");
            return;
        }

        var (request, field, problem) = await ScriptTokenRequest.ReadAsync(context.Request, context.RequestAborted);
        if (request is null)
        {
            await ProblemResponses.WriteAsync(context, StatusCodes.Status400BadRequest, "Invalid token request", $"{field}: {problem}",
                new Dictionary<string, string[]> { [field!] = [problem!] });
            return;
        }
        var options = context.RequestServices.GetRequiredService<DevIdentityOptions>();
        var tokens = context.RequestServices.GetRequiredService<DevTokens>();
        var audience = request.Audience ?? options.Audience;
        var accessToken = request.User is { } user
            ? tokens.AccessToken(user, audience, TimeSpan.FromSeconds(request.ExpiresIn))
            : tokens.ApplicationToken(request.Application!, request.ApplicationRoles, audience, TimeSpan.FromSeconds(request.ExpiresIn));
        context.Response.Headers.CacheControl = "no-store";
        await JsonAsync(context, StatusCodes.Status200OK, new Dictionary<string, object>
        {
            ["access_token"] = accessToken,
            ["token_type"] = "Bearer",
            ["expires_in"] = request.ExpiresIn,
        });
    }

    /// <summary>Nothing to end (no session is kept): back to the client when it says where, else a page that says so.</summary>
    private static async Task LogoutAsync(HttpContext context)
    {
        var target = context.Request.Query["post_logout_redirect_uri"].ToString();
        if (target.Length == 0)
        {
            await SignInPage.WriteAsync(context, StatusCodes.Status200OK, SignInPage.SignedOut());
            return;
        }
        if (LoopbackUris.RedirectUri(target) is null)
        {
            await SignInPage.WriteAsync(context, StatusCodes.Status400BadRequest, SignInPage.Refusal("post_logout_redirect_uri must be an http or https URL on this machine."));
            return;
        }
        var state = context.Request.Query["state"].ToString();
        context.Response.Redirect(state.Length == 0 ? target
            : $"{target}{(target.Contains('?', StringComparison.Ordinal) ? '&' : '?')}state={Uri.EscapeDataString(state)}");
    }

    private static async Task JsonAsync(HttpContext context, int status, object value)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, value, value.GetType(), JsonSerializerOptions.Web, context.RequestAborted);
    }
}
