using LeadFunctions.Infrastructure.Access;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LeadFunctions.Functions.Features.Access;

public static class AccessServices
{
    /// <summary>
    /// The JwtBearer handler, asked by <see cref="RequestAccess"/> rather than run as middleware:
    /// neither the worker's HTTP integration nor the local host runs the authentication middleware
    /// before a function, and one call site keeps both hosts on the same path.
    /// </summary>
    public static IServiceCollection AddAccess(this IServiceCollection services)
    {
        services.AddAuthentication().AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IOptions<AuthOptions>>((jwt, auth) =>
        {
            var settings = auth.Value;
            jwt.Authority = settings.Authority;
            // Checked at start: plain http is allowed only for a development provider on this machine.
            jwt.RequireHttpsMetadata = !(Uri.TryCreate(settings.Authority, UriKind.Absolute, out var authority) && authority.IsLoopback);
            // Entra's claim names as they are (roles, oid, preferred_username), not mapped to SOAP-era URIs.
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters.ValidAudiences = settings.Audiences;
            jwt.TokenValidationParameters.NameClaimType = "name";
            jwt.TokenValidationParameters.RoleClaimType = "roles";
            jwt.TokenValidationParameters.ClockSkew = TimeSpan.FromMinutes(2);
        });
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<RequestAccess>();
        return services;
    }
}
