using System.Net;
using System.Net.Http.Headers;

namespace LeadFunctions.Functions.Tests.Features.Access;

/// <summary>
/// One of each credential SPEC 10 names, made once for the access tests: people with each role,
/// API keys with each role, a revoked key, and tokens that must not work (expired, for another
/// audience, from another issuer: a second host's development identity provider).
/// </summary>
public sealed class AccessFixture(SharedHost shared) : IAsyncLifetime
{
    public static readonly string[] RoleNames = ["sales", "manager", "admin"];

    private TestHost? foreign;

    public Dictionary<string, AuthenticationHeaderValue> Refused { get; } = [];

    public Dictionary<string, AuthenticationHeaderValue> PersonByRole { get; } = [];

    public Dictionary<string, string> KeyByRole { get; } = [];

    public string RevokedKey { get; private set; } = "";

    public Uri Api => shared.Client.BaseAddress!;

    public async ValueTask InitializeAsync()
    {
        var admin = shared.Client;
        foreach (var role in RoleNames)
        {
            var email = $"{role}-{Guid.NewGuid():N}@sales.test";
            await admin.SendJsonAsync(HttpMethod.Post, "salespeople", new { name = $"The {role}", email }, HttpStatusCode.Created);
            PersonByRole[role] = Bearer(await DevCredentials.TokenAsync(Api, email, [role]));
            KeyByRole[role] = await DevCredentials.ApiKeyAsync(admin, role, $"matrix {role}");
        }
        var revoked = await DevCredentials.ApiKeyAsync(admin, "admin", "revoked at once");
        var id = revoked.Split('_')[1];
        using (var revoke = await admin.DeleteAsync($"apikeys/{id}"))
        {
            revoke.StatusCode.Should().Be(HttpStatusCode.NoContent);
        }
        RevokedKey = revoked;

        foreign = await TestHost.StartAsync(shared.Azurite.ConnectionString, queues: false);
        Refused["expired token"] = Bearer(await DevCredentials.TokenAsync(Api, DevCredentials.AdminEmail, ["admin"], expiresIn: -3600));
        Refused["token for another audience"] = Bearer(await DevCredentials.TokenAsync(Api, DevCredentials.AdminEmail, ["admin"], audience: "api://another-app"));
        Refused["token from another issuer"] = Bearer(await DevCredentials.TokenAsync(foreign.Client.BaseAddress!, DevCredentials.AdminEmail, ["admin"]));
        Refused["not a token"] = Bearer("not-a-jwt");
        Refused["unsigned token"] = Bearer(Unsigned(Refused["expired token"].Parameter!));
        Refused["unknown API key"] = Bearer("lf_01ARZ3NDEKTSV4RRFFQ69G5FAV_wrongwrongwrong");
        Refused["revoked API key"] = Bearer(RevokedKey);
    }

    public static AuthenticationHeaderValue Bearer(string credential) => new("Bearer", credential);

    /// <summary>A token's claims with alg "none" and no signature, made valid for an hour: only the signature is missing.</summary>
    private static string Unsigned(string token)
    {
        var claims = System.Text.Json.Nodes.JsonNode.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(token.Split('.')[1]))!.AsObject();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        claims["nbf"] = now - 60;
        claims["iat"] = now - 60;
        claims["exp"] = now + 3600;
        static string Encode(string json) => System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(json));
        return $"{Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{Encode(claims.ToJsonString())}.";
    }

    public async ValueTask DisposeAsync()
    {
        if (foreign is not null)
        {
            await foreign.DisposeAsync();
        }
    }
}
