using System.Net.Http.Json;
using System.Text.Json;
using LeadFunctions.LocalHost.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace LeadFunctions.LocalHost.Tests.Identity;

/// <summary>
/// Validates tokens the way the function app does: the OpenID configuration and keys fetched from
/// Auth:Authority's discovery document, then JsonWebTokenHandler with Auth:Authority and
/// Auth:Audience as the valid issuer and audience.
/// </summary>
internal sealed class DevTokenValidator
{
    private readonly ConfigurationManager<OpenIdConnectConfiguration> configuration;

    public DevTokenValidator(LocalHostFixture host)
    {
        var settings = host.Services.GetRequiredService<IConfiguration>();
        Authority = settings[DevIdentity.AuthoritySetting]!;
        Audience = settings[DevIdentity.AudienceSetting]!;
        configuration = new ConfigurationManager<OpenIdConnectConfiguration>(
            Authority + "/.well-known/openid-configuration",
            new OpenIdConnectConfigurationRetriever(),
            // https, as from Entra; the provider's certificate is made at start, so it is trusted by name, as the app trusts it.
            new HttpDocumentRetriever(new HttpClient(host.Services.GetRequiredService<DevCertificate>().Handler())));
    }

    public string Authority { get; }

    public string Audience { get; }

    public Task<TokenValidationResult> ValidateAsync(string token, string? clientId = null) =>
        new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ConfigurationManager = configuration,
            ValidIssuer = Authority,
            ValidAudience = clientId ?? Audience,
        });

    /// <summary>POST /.auth/dev/token with a JSON body.</summary>
    public static async Task<HttpResponseMessage> RequestAsync(HttpClient client, object body) =>
        await client.PostAsJsonAsync(".auth/dev/token", body, TestContext.Current.CancellationToken);

    /// <summary>An access token for the body, which must be accepted.</summary>
    public static async Task<string> TokenAsync(HttpClient client, object body)
    {
        using var response = await RequestAsync(client, body);
        response.EnsureSuccessStatusCode();
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return answer.GetProperty("access_token").GetString()!;
    }
}
