using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LeadFunctions.LocalHost.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LeadFunctions.LocalHost.Tests.Identity;

/// <summary>The development provider's discovery, keys and script token endpoint, validated as the app validates tokens.</summary>
public sealed class DevTokenEndpointTests(LocalHostFixture host)
{
    private HttpClient Client => host.Client;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Auth_Authority_defaults_to_the_provider_s_https_listener_beside_the_host_even_with_port_0()
    {
        var validator = new DevTokenValidator(host);
        var authority = new Uri(validator.Authority);

        // https, as Entra's authority is and as MSAL.js requires; on a port of its own, reserved like the host's.
        authority.Scheme.Should().Be("https");
        authority.Host.Should().Be("127.0.0.1");
        authority.Port.Should().NotBe(host.BaseAddress.Port);
        authority.AbsolutePath.Should().Be("/.auth/dev");
        validator.Audience.Should().Be(DevIdentity.DefaultAudience);
        host.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()[DevIdentity.ClientIdSetting].Should().Be(DevIdentity.DefaultClientId);
        host.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()[DevIdentity.AdminsSetting].Should().Be(DevIdentity.DefaultAdmin, "a fresh local run needs a first admin to let anyone in");

        // The https listener answers with the provider's own certificate, and only a client that trusts it gets through.
        using var trusting = new HttpClient(host.Services.GetRequiredService<DevCertificate>().Handler());
        using var discovery = await trusting.GetAsync(validator.Authority + "/.well-known/openid-configuration", Ct);
        discovery.StatusCode.Should().Be(HttpStatusCode.OK);
        (await discovery.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("issuer").GetString().Should().Be(validator.Authority);
        using var untrusting = new HttpClient();
        var refused = () => untrusting.GetAsync(validator.Authority + "/keys", Ct);
        await refused.Should().ThrowAsync<HttpRequestException>();
    }

    [Fact]
    public async Task The_discovery_document_names_the_authority_as_issuer_and_its_jwks_uri_serves_the_signing_key()
    {
        var validator = new DevTokenValidator(host);

        using var response = await Client.GetAsync(".auth/dev/.well-known/openid-configuration", Ct);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var discovery = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        discovery.GetProperty("issuer").GetString().Should().Be(validator.Authority);
        discovery.GetProperty("token_endpoint").GetString().Should().Be(validator.Authority + "/token");
        discovery.GetProperty("authorization_endpoint").GetString().Should().Be(validator.Authority + "/authorize");
        discovery.GetProperty("end_session_endpoint").GetString().Should().Be(validator.Authority + "/logout");
        Strings(discovery, "response_types_supported").Should().Equal("code");
        Strings(discovery, "response_modes_supported").Should().Equal("query", "fragment");
        Strings(discovery, "subject_types_supported").Should().Equal("public");
        Strings(discovery, "id_token_signing_alg_values_supported").Should().Equal("RS256");
        Strings(discovery, "code_challenge_methods_supported").Should().Equal("S256");
        Strings(discovery, "claims_supported").Should().Contain(["oid", "tid", "roles", "preferred_username"]);

        using var trusting = new HttpClient(host.Services.GetRequiredService<DevCertificate>().Handler());
        using var keysResponse = await trusting.GetAsync(new Uri(discovery.GetProperty("jwks_uri").GetString()!), Ct);
        keysResponse.StatusCode.Should().Be(HttpStatusCode.OK);
        var key = (await keysResponse.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("keys").EnumerateArray().Should().ContainSingle().Subject;
        key.GetProperty("kty").GetString().Should().Be("RSA");
        key.GetProperty("use").GetString().Should().Be("sig");
        key.GetProperty("alg").GetString().Should().Be("RS256");
        key.GetProperty("e").GetString().Should().Be("AQAB");
        Base64UrlEncoder.DecodeBytes(key.GetProperty("n").GetString()!).Should().HaveCount(256, "a 2048-bit key");
        key.TryGetProperty("d", out _).Should().BeFalse("the private exponent never leaves the host");

        var token = new JsonWebToken(await DevTokenValidator.TokenAsync(Client, new { email = "lea@sales.test" }));
        token.Kid.Should().Be(key.GetProperty("kid").GetString());
    }

    [Fact]
    public async Task A_token_validates_through_discovery_with_the_issuer_and_audience_settings_and_carries_the_user_and_roles()
    {
        var validator = new DevTokenValidator(host);

        using var response = await DevTokenValidator.RequestAsync(Client, new { email = "Lea@Sales.test", name = "Lea Berger", roles = new[] { "sales", "Manager" } });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        answer.GetProperty("token_type").GetString().Should().Be("Bearer");
        answer.GetProperty("expires_in").GetInt32().Should().Be(3600);
        var result = await validator.ValidateAsync(answer.GetProperty("access_token").GetString()!);
        result.IsValid.Should().BeTrue(result.Exception?.Message);

        var token = (JsonWebToken)result.SecurityToken;
        token.Typ.Should().Be("JWT");
        token.Alg.Should().Be("RS256");
        token.Issuer.Should().Be(validator.Authority);
        token.Audiences.Should().Equal(DevIdentity.DefaultAudience);
        token.GetClaim("email").Value.Should().Be("lea@sales.test");
        token.GetClaim("preferred_username").Value.Should().Be("lea@sales.test");
        token.GetClaim("name").Value.Should().Be("Lea Berger");
        token.GetClaim("tid").Value.Should().Be(DevIdentity.TenantId.ToString());
        token.GetClaim("scp").Value.Should().Be("access_as_user");
        token.GetClaim("ver").Value.Should().Be("2.0");
        token.Claims.Where(c => c.Type == "roles").Select(c => c.Value).Should().Equal("sales", "manager");
        Guid.TryParse(token.GetClaim("oid").Value, out _).Should().BeTrue();
        (token.ValidTo - token.ValidFrom).Should().Be(TimeSpan.FromHours(1));
    }

    [Fact]
    public async Task An_application_token_is_shaped_as_Entra_client_credentials_and_names_no_person()
    {
        var validator = new DevTokenValidator(host);

        var text = await DevTokenValidator.TokenAsync(Client, new { application = "shop-sync", roles = new[] { "sales" } });
        var result = await validator.ValidateAsync(text);
        using var both = await DevTokenValidator.RequestAsync(Client, new { application = "shop-sync", email = "lea@sales.test" });

        result.IsValid.Should().BeTrue(result.Exception?.Message);
        var token = (JsonWebToken)result.SecurityToken;
        token.GetClaim("azp").Value.Should().Be("shop-sync");
        token.GetClaim("idtyp").Value.Should().Be("app");
        token.GetClaim("oid").Value.Should().Be(token.Subject);
        token.Claims.Where(c => c.Type == "roles").Select(c => c.Value).Should().Equal("sales");
        foreach (var personal in new[] { "email", "preferred_username", "name", "scp" })
        {
            token.TryGetClaim(personal, out _).Should().BeFalse($"an application's token has no {personal}");
        }
        both.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_same_email_gets_the_same_oid_and_sub_and_another_email_others()
    {
        var first = new JsonWebToken(await DevTokenValidator.TokenAsync(Client, new { email = "lea@sales.test" }));
        var again = new JsonWebToken(await DevTokenValidator.TokenAsync(Client, new { email = "LEA@sales.test", roles = new[] { "admin" } }));
        var other = new JsonWebToken(await DevTokenValidator.TokenAsync(Client, new { email = "max@sales.test" }));

        again.GetClaim("oid").Value.Should().Be(first.GetClaim("oid").Value);
        again.Subject.Should().Be(first.Subject);
        other.GetClaim("oid").Value.Should().NotBe(first.GetClaim("oid").Value);
        other.Subject.Should().NotBe(first.Subject);
    }

    [Fact]
    public async Task Without_roles_the_token_has_no_roles_claim_and_the_name_is_the_part_before_the_at()
    {
        var token = new JsonWebToken(await DevTokenValidator.TokenAsync(Client, new { email = "max.weber@sales.test" }));

        token.TryGetClaim("roles", out _).Should().BeFalse("the app then falls back to its directory");
        token.GetClaim("name").Value.Should().Be("max.weber");
    }

    [Fact]
    public async Task A_negative_expiresIn_gives_a_token_that_fails_validation_as_expired()
    {
        var validator = new DevTokenValidator(host);

        // Beyond the validator's default five minutes of clock skew.
        var result = await validator.ValidateAsync(await DevTokenValidator.TokenAsync(Client, new { email = "lea@sales.test", expiresIn = -3600 }));

        result.IsValid.Should().BeFalse();
        result.Exception.Should().BeOfType<SecurityTokenExpiredException>();
    }

    [Fact]
    public async Task A_token_for_another_audience_is_refused_by_the_app_s_audience()
    {
        var validator = new DevTokenValidator(host);

        var token = await DevTokenValidator.TokenAsync(Client, new { email = "lea@sales.test", audience = "api://someone-else" });
        var result = await validator.ValidateAsync(token);

        new JsonWebToken(token).Audiences.Should().Equal("api://someone-else");
        result.Exception.Should().BeOfType<SecurityTokenInvalidAudienceException>();
    }

    public static TheoryData<string, string> BadRequests => new()
    {
        { """{"name":"Lea"}""", "email" },
        { """{"email":"not-an-email"}""", "email" },
        { """{"email":"Lea <lea@sales.test>"}""", "email" },
        { """{"email":42}""", "email" },
        { """{"email":"lea@sales.test","roles":["boss"]}""", "roles" },
        { """{"email":"lea@sales.test","roles":"sales"}""", "roles" },
        { """{"email":"lea@sales.test","expiresIn":86401}""", "expiresIn" },
        { """{"email":"lea@sales.test","expiresIn":-86401}""", "expiresIn" },
        { """{"email":"lea@sales.test","expiresIn":1.5}""", "expiresIn" },
        { """{"email":"lea@sales.test","expiresIn":"60"}""", "expiresIn" },
        { """{"email":"lea@sales.test","audience":" "}""", "audience" },
        { """{"email":"lea@sales.test","role":"sales"}""", "role" },
        { """["lea@sales.test"]""", "body" },
        { """{"email":""", "body" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_is_a_400_problem_naming_the_field(string body, string field)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await Client.PostAsync(".auth/dev/token", content, Ct);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        problem.GetProperty("status").GetInt32().Should().Be(400);
        problem.GetProperty("detail").GetString().Should().StartWith(field + ":");
        problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Should().Equal(field);
    }

    [Fact]
    public async Task A_body_that_is_neither_json_nor_a_form_is_refused_as_unsupported()
    {
        using var content = new StringContent("email=lea@sales.test", Encoding.UTF8, "text/plain");
        using var response = await Client.PostAsync(".auth/dev/token", content, Ct);

        response.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    private static IEnumerable<string?> Strings(JsonElement document, string name) =>
        document.GetProperty(name).EnumerateArray().Select(e => e.GetString());
}
