using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.Tokens;

namespace LeadFunctions.LocalHost.Tests.Identity;

/// <summary>
/// What a browser with MSAL.js does in the authorization code flow with PKCE, over real HTTP: open
/// the sign-in page, submit its form as it is (hidden fields included), read the code from the
/// redirect, redeem it at the token endpoint.
/// </summary>
internal sealed partial class CodeFlowBrowser : IDisposable
{
    public const string ClientId = "console-local";
    public const string RedirectUri = "http://localhost:5173/auth/callback";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public CodeFlowBrowser(Uri baseAddress)
    {
        // Redirects are read, not followed: the client's redirect URI has no server behind it here.
        Client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = baseAddress };
        Verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
    }

    public HttpClient Client { get; }

    public string Verifier { get; }

    public string Challenge => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(Verifier)));

    public Dictionary<string, string?> AuthorizeParameters(string responseMode = "fragment") => new()
    {
        ["client_id"] = ClientId,
        ["redirect_uri"] = RedirectUri,
        ["response_type"] = "code",
        ["response_mode"] = responseMode,
        ["scope"] = "api://leadfunctions-local/access_as_user openid profile offline_access",
        ["state"] = "state-42",
        ["nonce"] = "nonce-7",
        ["code_challenge"] = Challenge,
        ["code_challenge_method"] = "S256",
    };

    public Task<HttpResponseMessage> OpenAsync(IDictionary<string, string?> parameters) =>
        Client.GetAsync(QueryHelpers.AddQueryString(".auth/dev/authorize", parameters), Ct);

    /// <summary>The hidden fields of the page's form, as a browser would submit them.</summary>
    public static Dictionary<string, string> HiddenFields(string html) =>
        HiddenInput().Matches(html).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));

    public async Task<HttpResponseMessage> SubmitAsync(Dictionary<string, string> hidden, string email, string? name, params string[] roles)
    {
        var fields = hidden.Select(p => new KeyValuePair<string, string>(p.Key, p.Value)).ToList();
        fields.Add(new("email", email));
        fields.Add(new("name", name ?? ""));
        fields.AddRange(roles.Select(r => new KeyValuePair<string, string>("roles", r)));
        fields.Add(new("action", "sign-in"));
        using var form = new FormUrlEncodedContent(fields);
        return await Client.PostAsync(".auth/dev/authorize", form, Ct);
    }

    /// <summary>Opens the page, submits it and returns the code the redirect carries.</summary>
    public async Task<string> SignInAsync(string email = "lea@sales.test", params string[] roles)
    {
        using var page = await OpenAsync(AuthorizeParameters());
        page.EnsureSuccessStatusCode();
        using var redirect = await SubmitAsync(HiddenFields(await page.Content.ReadAsStringAsync(Ct)), email, null, roles);
        redirect.StatusCode.Should().Be(HttpStatusCode.Found);
        return Answer(redirect.Headers.Location!)["code"];
    }

    /// <summary>The answer in the redirect's fragment (or query, when there is no fragment).</summary>
    public static Dictionary<string, string> Answer(Uri location)
    {
        var part = (location.Fragment.Length > 1 ? location.Fragment : location.Query).TrimStart('#', '?');
        return QueryHelpers.ParseQuery(part).ToDictionary(p => p.Key, p => p.Value.ToString());
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> RedeemAsync(string code, string? verifier = null, string redirectUri = RedirectUri, string clientId = ClientId) =>
        await TokenAsync(new()
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["code_verifier"] = verifier ?? Verifier,
            ["redirect_uri"] = redirectUri,
            ["client_id"] = clientId,
            ["client_info"] = "1",
        });

    public async Task<(HttpStatusCode Status, JsonElement Body)> TokenAsync(Dictionary<string, string> form)
    {
        using var content = new FormUrlEncodedContent(form);
        using var response = await Client.PostAsync(".auth/dev/token", content, Ct);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        return (response.StatusCode, JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync(Ct)));
    }

    public void Dispose() => Client.Dispose();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenInput();
}
