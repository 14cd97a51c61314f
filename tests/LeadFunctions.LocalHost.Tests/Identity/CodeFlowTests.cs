using System.Net;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LeadFunctions.LocalHost.Tests.Identity;

/// <summary>The authorization code flow with PKCE of the development provider, end to end over HTTP.</summary>
public sealed class CodeFlowTests(LocalHostFixture host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_sign_in_page_is_an_accessible_form_that_carries_the_request()
    {
        using var browser = new CodeFlowBrowser(host.BaseAddress);
        var parameters = browser.AuthorizeParameters();
        parameters["login_hint"] = "max@sales.test";

        using var response = await browser.OpenAsync(parameters);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        response.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("default-src 'none'").And.Contain("frame-ancestors 'none'");
        var html = await response.Content.ReadAsStringAsync(Ct);
        html.Should().Contain("<html lang=\"en\">").And.Contain("<form method=\"post\"")
            .And.Contain("<label for=\"email\">").And.Contain("<label for=\"name\">").And.Contain("<legend>Roles</legend>")
            .And.Contain("<label for=\"role-admin\">").And.Contain("value=\"max@sales.test\"")
            .And.NotContain("<script").And.NotContain("src=").And.NotContain("<link", "the page loads nothing from anywhere");
        CodeFlowBrowser.HiddenFields(html).Should().Contain("state", "state-42").And.Contain("code_challenge", browser.Challenge).And.Contain("redirect_uri", CodeFlowBrowser.RedirectUri);
    }

    [Fact]
    public async Task Signing_in_redirects_with_code_and_state_and_the_code_redeems_for_tokens_the_app_accepts()
    {
        using var browser = new CodeFlowBrowser(host.BaseAddress);
        var validator = new DevTokenValidator(host);
        using var page = await browser.OpenAsync(browser.AuthorizeParameters());
        var hidden = CodeFlowBrowser.HiddenFields(await page.Content.ReadAsStringAsync(Ct));

        using var redirect = await browser.SubmitAsync(hidden, "lea@sales.test", "Lea Berger", "sales", "admin");

        redirect.StatusCode.Should().Be(HttpStatusCode.Found);
        var location = redirect.Headers.Location!;
        location.GetLeftPart(UriPartial.Path).Should().Be(CodeFlowBrowser.RedirectUri);
        location.Query.Should().BeEmpty("the request asked for the fragment");
        var answer = CodeFlowBrowser.Answer(location);
        answer["state"].Should().Be("state-42");

        var (status, tokens) = await browser.RedeemAsync(answer["code"]);

        status.Should().Be(HttpStatusCode.OK);
        tokens.GetProperty("token_type").GetString().Should().Be("Bearer");
        tokens.GetProperty("expires_in").GetInt32().Should().Be(3600);
        tokens.GetProperty("scope").GetString().Should().Contain("api://leadfunctions-local/access_as_user");
        var access = await validator.ValidateAsync(tokens.GetProperty("access_token").GetString()!);
        access.IsValid.Should().BeTrue(access.Exception?.Message);
        var accessToken = (JsonWebToken)access.SecurityToken;
        accessToken.GetClaim("name").Value.Should().Be("Lea Berger");
        accessToken.Claims.Where(c => c.Type == "roles").Select(c => c.Value).Should().Equal("sales", "admin");

        var id = await validator.ValidateAsync(tokens.GetProperty("id_token").GetString()!, clientId: CodeFlowBrowser.ClientId);
        id.IsValid.Should().BeTrue(id.Exception?.Message);
        var idToken = (JsonWebToken)id.SecurityToken;
        idToken.GetClaim("nonce").Value.Should().Be("nonce-7");
        idToken.GetClaim("oid").Value.Should().Be(accessToken.GetClaim("oid").Value);
        idToken.GetClaim("preferred_username").Value.Should().Be("lea@sales.test");

        var clientInfo = JsonSerializer.Deserialize<JsonElement>(Base64UrlEncoder.Decode(tokens.GetProperty("client_info").GetString()!));
        clientInfo.GetProperty("uid").GetString().Should().Be(accessToken.GetClaim("oid").Value);
        clientInfo.GetProperty("utid").GetString().Should().Be(accessToken.GetClaim("tid").Value);
    }

    [Fact]
    public async Task A_code_is_single_use()
    {
        using var browser = new CodeFlowBrowser(host.BaseAddress);
        var code = await browser.SignInAsync();

        (await browser.RedeemAsync(code)).Status.Should().Be(HttpStatusCode.OK);
        var (status, error) = await browser.RedeemAsync(code);

        status.Should().Be(HttpStatusCode.BadRequest);
        error.GetProperty("error").GetString().Should().Be("invalid_grant");
    }

    [Fact]
    public async Task A_wrong_verifier_another_redirect_uri_or_another_client_is_invalid_grant()
    {
        using var browser = new CodeFlowBrowser(host.BaseAddress);
        var otherVerifier = Base64UrlEncoder.Encode(new byte[32]);

        var attempts = new[]
        {
            await browser.RedeemAsync(await browser.SignInAsync(), verifier: otherVerifier),
            await browser.RedeemAsync(await browser.SignInAsync(), redirectUri: "http://localhost:5174/auth/callback"),
            await browser.RedeemAsync(await browser.SignInAsync(), clientId: "another-client"),
        };

        attempts.Should().AllSatisfy(a =>
        {
            a.Status.Should().Be(HttpStatusCode.BadRequest);
            a.Body.GetProperty("error").GetString().Should().Be("invalid_grant");
            a.Body.GetProperty("error_description").GetString().Should().NotBeNullOrEmpty();
        });
    }

    [Fact]
    public async Task A_refresh_token_gives_new_tokens_once_and_other_grants_are_unsupported()
    {
        using var browser = new CodeFlowBrowser(host.BaseAddress);
        var (_, tokens) = await browser.RedeemAsync(await browser.SignInAsync("max@sales.test", "manager"));
        var refresh = new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = tokens.GetProperty("refresh_token").GetString()!,
            ["client_id"] = CodeFlowBrowser.ClientId,
            ["scope"] = "api://leadfunctions-local/access_as_user openid profile offline_access",
        };

        var (status, renewed) = await browser.TokenAsync(refresh);
        var (reusedStatus, reused) = await browser.TokenAsync(refresh);
        var (otherStatus, other) = await browser.TokenAsync(new() { ["grant_type"] = "password", ["client_id"] = CodeFlowBrowser.ClientId });

        status.Should().Be(HttpStatusCode.OK);
        var access = await new DevTokenValidator(host).ValidateAsync(renewed.GetProperty("access_token").GetString()!);
        access.IsValid.Should().BeTrue(access.Exception?.Message);
        ((JsonWebToken)access.SecurityToken).GetClaim("email").Value.Should().Be("max@sales.test");
        renewed.GetProperty("refresh_token").GetString().Should().NotBe(refresh["refresh_token"], "refresh tokens rotate");
        (reusedStatus, reused.GetProperty("error").GetString()).Should().Be((HttpStatusCode.BadRequest, "invalid_grant"));
        (otherStatus, other.GetProperty("error").GetString()).Should().Be((HttpStatusCode.BadRequest, "unsupported_grant_type"));
    }

    [Theory]
    [InlineData("https://evil.example/callback")]
    [InlineData("http://localhost.evil.example/callback")]
    [InlineData("http://localhost:5173/callback#here")]
    [InlineData("javascript:alert(1)")]
    public async Task A_redirect_uri_off_this_machine_is_refused_with_a_page_not_redirected_to(string redirectUri)
    {
        using var browser = new CodeFlowBrowser(host.BaseAddress);
        var parameters = browser.AuthorizeParameters();
        parameters["redirect_uri"] = redirectUri;

        using var response = await browser.OpenAsync(parameters);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Headers.Location.Should().BeNull();
        (await response.Content.ReadAsStringAsync(Ct)).Should().Contain("redirect_uri");
    }

    [Fact]
    public async Task Everything_the_page_echoes_is_html_encoded()
    {
        using var browser = new CodeFlowBrowser(host.BaseAddress);
        var parameters = browser.AuthorizeParameters();
        parameters["state"] = "\"><script>alert(1)</script>";
        parameters["login_hint"] = "<b>lea</b>@sales.test";

        var html = await (await browser.OpenAsync(parameters)).Content.ReadAsStringAsync(Ct);

        html.Should().NotContain("<script>").And.NotContain("<b>");
        CodeFlowBrowser.HiddenFields(html)["state"].Should().Be("\"><script>alert(1)</script>", "the value survives the round trip");
    }

    [Fact]
    public async Task Query_response_mode_puts_the_code_in_the_query()
    {
        using var browser = new CodeFlowBrowser(host.BaseAddress);
        using var page = await browser.OpenAsync(browser.AuthorizeParameters(responseMode: "query"));

        using var redirect = await browser.SubmitAsync(CodeFlowBrowser.HiddenFields(await page.Content.ReadAsStringAsync(Ct)), "lea@sales.test", null);

        redirect.Headers.Location!.Fragment.Should().BeEmpty();
        redirect.Headers.Location.Query.Should().Contain("code=").And.Contain("state=state-42");
    }

    [Fact]
    public async Task A_bad_email_or_role_shows_the_page_again_naming_the_field()
    {
        using var browser = new CodeFlowBrowser(host.BaseAddress);
        using var page = await browser.OpenAsync(browser.AuthorizeParameters());
        var hidden = CodeFlowBrowser.HiddenFields(await page.Content.ReadAsStringAsync(Ct));

        using var badEmail = await browser.SubmitAsync(hidden, "not-an-email", null);
        using var badRole = await browser.SubmitAsync(hidden, "lea@sales.test", null, "boss");

        badEmail.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await badEmail.Content.ReadAsStringAsync(Ct)).Should().Contain("role=\"alert\"").And.MatchRegex("id=\"email\"[^>]*aria-invalid=\"true\"");
        badRole.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await badRole.Content.ReadAsStringAsync(Ct)).Should().Contain("is not a role");
    }

    [Fact]
    public async Task Prompt_none_answers_login_required_and_cancel_access_denied()
    {
        using var browser = new CodeFlowBrowser(host.BaseAddress);
        var silent = browser.AuthorizeParameters();
        silent["prompt"] = "none";

        using var none = await browser.OpenAsync(silent);
        using var page = await browser.OpenAsync(browser.AuthorizeParameters());
        var fields = CodeFlowBrowser.HiddenFields(await page.Content.ReadAsStringAsync(Ct));
        fields["action"] = "cancel";
        using var form = new FormUrlEncodedContent(fields);
        using var cancelled = await browser.Client.PostAsync(".auth/dev/authorize", form, Ct);

        CodeFlowBrowser.Answer(none.Headers.Location!).Should().Contain("error", "login_required").And.Contain("state", "state-42");
        CodeFlowBrowser.Answer(cancelled.Headers.Location!).Should().Contain("error", "access_denied");
    }

    [Fact]
    public async Task A_form_posted_from_a_page_elsewhere_is_refused()
    {
        using var browser = new CodeFlowBrowser(host.BaseAddress);
        using var page = await browser.OpenAsync(browser.AuthorizeParameters());
        var fields = CodeFlowBrowser.HiddenFields(await page.Content.ReadAsStringAsync(Ct));
        fields["email"] = "lea@sales.test";
        using var request = new HttpRequestMessage(HttpMethod.Post, ".auth/dev/authorize") { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("Origin", "https://evil.example");

        using var response = await browser.Client.SendAsync(request, Ct);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("http://localhost:5173", true)]
    [InlineData("http://127.0.0.1:4280", true)]
    [InlineData("https://evil.example", false)]
    public async Task The_token_endpoint_answers_the_preflight_of_pages_on_this_machine_only(string origin, bool allowed)
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, ".auth/dev/token");
        preflight.Headers.Add("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type,x-client-sku");

        using var response = await host.Client.SendAsync(preflight, Ct);

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        if (allowed)
        {
            response.Headers.GetValues("Access-Control-Allow-Origin").Should().Equal(origin);
            response.Headers.GetValues("Access-Control-Allow-Headers").Single().Should().Contain("x-client-sku");
        }
        else
        {
            response.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse();
        }
    }
}
