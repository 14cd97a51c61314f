using System.Net;

namespace LeadFunctions.Functions.Tests.Features.Capture;

/// <summary>
/// Capture's <c>_redirect</c> with text outside ASCII (SPEC 5, Capture): answered with the address
/// percent-encoded, or refused before the lead is stored when it cannot be a header value. A host
/// of its own, for an allowed origin whose host is an international domain name.
/// </summary>
public sealed class CaptureRedirectTests() : IsolatedHostTests(settings: new Dictionary<string, string?>
{
    ["Capture:AllowedOrigins"] = "https://allowed.test, https://bücher.example",
})
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HttpResponseMessage> PostFormAsync(string email, string redirect)
    {
        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Client.BaseAddress };
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "Merci", ["email"] = email, ["_redirect"] = redirect });
        return await noRedirect.PostAsync("capture", form, Ct);
    }

    [Fact]
    public async Task A_redirect_with_non_ASCII_text_answers_303_with_the_percent_encoded_address_and_stores_the_lead_once()
    {
        var email = $"merci@{Api.UniqueDomain()}";

        using var response = await PostFormAsync(email, "https://allowed.test/merci-à-vous?nom=José#fin");

        await response.ShouldHaveStatusAsync(HttpStatusCode.SeeOther);
        response.Headers.GetValues("Location").Should().Equal("https://allowed.test/merci-%C3%A0-vous?nom=Jos%C3%A9#fin");
        (await Host.CountStoredLeadsAsync(email)).Should().Be(1);
    }

    [Fact]
    public async Task A_redirect_that_cannot_be_a_header_value_is_a_400_on_redirect_and_nothing_is_stored()
    {
        var email = $"danke@{Api.UniqueDomain()}";

        using var response = await PostFormAsync(email, "https://bücher.example/danke");

        await response.ShouldHaveStatusAsync(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        (await response.JsonAsync())["errors"]!.AsObject().Select(e => e.Key).Should().Equal("_redirect");
        using var plain = await PostFormAsync(email, "https://allowed.test/danke");
        await plain.ShouldHaveStatusAsync(HttpStatusCode.SeeOther);
        (await Host.CountStoredLeadsAsync(email)).Should().Be(1, "only the post with a redirect it could answer stored the lead");
    }
}
