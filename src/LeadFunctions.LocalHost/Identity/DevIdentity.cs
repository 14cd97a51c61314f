namespace LeadFunctions.LocalHost.Identity;

/// <summary>
/// The local host as a development identity provider (SPEC 10): in Development it signs its own
/// tokens and publishes its OpenID configuration and keys under <c>/.auth/dev</c>, and points the
/// app's <c>Auth:Authority</c> at itself, so the app validates local tokens exactly as it validates
/// Entra ID's in Azure. Like Entra's, the authority is https (MSAL.js accepts no other): a listener
/// of its own beside the host's http one (<see cref="DevCertificate"/>). Outside Development nothing
/// is defaulted and nothing under /.auth/dev exists.
/// </summary>
public static class DevIdentity
{
    public const string AuthoritySetting = "Auth:Authority";
    public const string AudienceSetting = "Auth:Audience";
    public const string ClientIdSetting = "Auth:ClientId";
    public const string AdminsSetting = "Auth:Admins";

    /// <summary>
    /// The first admin of a fresh local run: with an empty directory nobody else may sign in, so the
    /// README's first run signs in with this email to add salespeople and hand out roles.
    /// </summary>
    public const string DefaultAdmin = "admin@leadfunctions.test";
    public const string DefaultAudience = "api://leadfunctions-local";

    /// <summary>The console's client id locally, as the app registration's is in Azure; any id works here, as no client is registered.</summary>
    public const string DefaultClientId = "leadfunctions-console-local";

    /// <summary>The port of the provider's https listener: by default the host's port + 1 (7072), any free one with --port 0.</summary>
    public const string PortSetting = "LocalHost:IdentityPort";

    /// <summary>Where the provider lives on the host, like App Service's own /.auth paths.</summary>
    public const string PathBase = "/.auth/dev";

    /// <summary>The scope user tokens carry, as an Entra app registration exposing one delegated scope would issue.</summary>
    public const string UserScope = LeadFunctions.Functions.Features.Access.AuthOptions.UserScope;

    /// <summary>The tenant every local token names; a constant so the ids the app stores survive restarts.</summary>
    public static readonly Guid TenantId = new("5d1c0a3e-7f1b-4d6a-9c42-1e0c8a5b3f77");

    /// <summary>
    /// Fills <c>Auth:Authority</c>, <c>Auth:Audience</c>, <c>Auth:ClientId</c> and <c>Auth:Admins</c> when empty in
    /// Development, before the app reads them. The provider's options, or null outside Development.
    /// </summary>
    /// <param name="baseAddress">The https address the provider listens on, known before the app is built.</param>
    public static DevIdentityOptions? ApplyDefaults(IConfiguration configuration, IHostEnvironment environment, Uri baseAddress)
    {
        if (!environment.IsDevelopment())
        {
            return null;
        }

        var authority = new Uri(baseAddress, PathBase.TrimStart('/')).ToString();
        if (string.IsNullOrWhiteSpace(configuration[AuthoritySetting]))
        {
            configuration[AuthoritySetting] = authority;
        }
        if (string.IsNullOrWhiteSpace(configuration[AudienceSetting]))
        {
            configuration[AudienceSetting] = DefaultAudience;
        }
        if (string.IsNullOrWhiteSpace(configuration[ClientIdSetting]))
        {
            configuration[ClientIdSetting] = DefaultClientId;
        }
        if (string.IsNullOrWhiteSpace(configuration[AdminsSetting]))
        {
            configuration[AdminsSetting] = DefaultAdmin;
        }
        return new DevIdentityOptions(authority, configuration[AudienceSetting]!, configuration[AuthoritySetting]!);
    }
}

/// <param name="Authority">This provider's issuer: the host's base address and /.auth/dev, no trailing slash.</param>
/// <param name="Audience">The app's <c>Auth:Audience</c>: the default audience of the tokens issued here.</param>
/// <param name="AppAuthority">The app's <c>Auth:Authority</c>: this provider unless the developer set another one.</param>
public sealed record DevIdentityOptions(string Authority, string Audience, string AppAuthority)
{
    /// <summary>False when <c>Auth:Authority</c> names another provider: the app then refuses the tokens issued here.</summary>
    public bool AppTrustsThisProvider => string.Equals(Authority, AppAuthority.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    public string DiscoveryUrl => Authority + "/.well-known/openid-configuration";
    public string KeysUrl => Authority + "/keys";
    public string AuthorizeUrl => Authority + "/authorize";
    public string TokenUrl => Authority + "/token";
    public string LogoutUrl => Authority + "/logout";
}
