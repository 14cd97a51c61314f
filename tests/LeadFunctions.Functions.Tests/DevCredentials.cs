using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace LeadFunctions.Functions.Tests;

/// <summary>
/// Credentials the way scripts get them (SPEC 10): a token from the local host's development
/// identity provider, validated by the app exactly as an Entra ID token is, or an API key made with
/// one. No test bypasses the app's checks.
/// </summary>
public static class DevCredentials
{
    /// <summary>In every test host's Auth:Admins: the first admin, known without a salesperson record.</summary>
    public const string AdminEmail = "admin@leadfunctions.test";

    /// <param name="api">The host's API base (…/api/) or its root.</param>
    public static Task<string> TokenAsync(Uri api, string email, string[]? roles = null, string? audience = null, int expiresIn = 86_400)
    {
        var body = new JsonObject { ["email"] = email, ["expiresIn"] = expiresIn };
        if (audience is not null)
        {
            body["audience"] = audience;
        }
        return PostTokenAsync(api, body, roles, email);
    }

    /// <summary>An Entra application's own token (client credentials) with its app roles, if any.</summary>
    public static Task<string> ApplicationTokenAsync(Uri api, string application, string[]? roles) =>
        PostTokenAsync(api, new JsonObject { ["application"] = application }, roles, application);

    private static async Task<string> PostTokenAsync(Uri api, JsonObject body, string[]? roles, string forWhom)
    {
        if (roles is not null)
        {
            body["roles"] = new JsonArray([.. roles.Select(r => (JsonNode)r)]);
        }
        using var http = new HttpClient();
        using var response = await http.PostAsJsonAsync(new Uri(api, "/.auth/dev/token"), body);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonNode.Parse(text)!["access_token"]!.GetValue<string>()
            : throw new InvalidOperationException($"The development identity provider refused a token for {forWhom}: {(int)response.StatusCode} {text}");
    }

    public static Task<string> AdminTokenAsync(Uri api) => TokenAsync(api, AdminEmail, ["admin"]);

    public static void SignIn(HttpClient client, string token) =>
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

    /// <summary>A new API key with <paramref name="role"/>, made by the given admin client: the key itself ("lf_…").</summary>
    public static async Task<string> ApiKeyAsync(HttpClient admin, string role, string name = "test key")
    {
        using var response = await admin.PostAsJsonAsync("apikeys", new { name, role });
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Making an API key failed: {(int)response.StatusCode} {text}");
        }
        return JsonNode.Parse(text)!["key"]!.GetValue<string>();
    }
}
