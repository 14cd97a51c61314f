using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LeadFunctions.Functions.Tests.Features.Console;

/// <summary>The README's sample form with GET /api/capture.js (SPEC 5), in Chromium.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class CaptureScriptTests(ConsoleBrowser browser)
{
    [Fact]
    public async Task The_sample_form_posts_as_json_from_an_allowed_origin_and_shows_the_result()
    {
        var email = $"ann.{Guid.NewGuid():N}@acme-corp.test";
        // A site's own fields (a CMS token, a consent box) ride along in the form; capture does not read them.
        // An opt-out box named as capture reads it goes as a JSON boolean.
        var html = ConsoleData.SampleForm(browser.ApiBase, browser.AllowedSite.Origin)
            .Replace("<button>", "<input type=\"hidden\" name=\"csrf_token\" value=\"cms-123\"><label>I agree to be contacted <input type=\"checkbox\" name=\"consent\" checked></label>\n    "
                + "<label>No calls, please <input type=\"checkbox\" name=\"phoneOptOut\"></label>\n    <button>", StringComparison.Ordinal);
        var form = browser.AllowedSite.Serve("/form-with-extras.html", html);
        await using var tab = await browser.OpenAsync(signedIn: false);
        var captures = new List<IRequest>();
        tab.Page.Request += (_, request) =>
        {
            if (request.Url.EndsWith("/api/capture", StringComparison.Ordinal) && request.Method == "POST")
            {
                captures.Add(request);
            }
        };

        await tab.Page.GotoAsync(form.ToString());
        await tab.Page.GetByLabel("Your name").FillAsync("Ann Lee");
        await tab.Page.GetByLabel("Email").FillAsync(email);
        await tab.Page.GetByLabel("Company").FillAsync("Acme");
        await tab.Page.GetByLabel("Message").FillAsync("Please call me about 30 seats.");
        await tab.Page.GetByLabel("No calls, please").CheckAsync();
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();

        var result = tab.Page.Locator("[data-lead-result]");
        await Expect(result).ToContainTextAsync("Thank you");
        await tab.ScreenshotAsync("capture-form-sent");
        var id = await tab.Page.Locator("form").GetAttributeAsync("data-lead-id");
        var lead = await browser.Host.Client.LeadByIdAsync(id!);
        lead.Text("email").Should().Be(email);
        lead.Text("contactName").Should().Be("Ann Lee");
        lead.Text("description").Should().Be("Please call me about 30 seats.");
        lead.Text("source").Should().Be("website");
        (lead["phoneOptOut"]!.GetValue<bool>(), lead["emailOptOut"]!.GetValue<bool>()).Should().Be((true, false));
        captures.Should().ContainSingle();
        var sent = await captures[0].AllHeadersAsync();
        sent["content-type"].Should().StartWith("application/json");
        sent.Should().ContainKey("idempotency-key");
        captures[0].PostData.Should().NotContain("csrf_token").And.NotContain("consent").And.Contain("\"phoneOptOut\":true");
        tab.Page.Url.Should().Be(form.ToString(), "with scripts the result shows in place");
        tab.Errors.Should().BeEmpty();
    }

    [Fact]
    public async Task A_form_on_another_origin_is_refused_and_stores_nothing()
    {
        var email = $"eve.{Guid.NewGuid():N}@elsewhere.test";
        var form = browser.OtherSite.Serve("/form.html", ConsoleData.SampleForm(browser.ApiBase, browser.OtherSite.Origin));
        await using var tab = await browser.OpenAsync(signedIn: false);

        await tab.Page.GotoAsync(form.ToString());
        await tab.Page.GetByLabel("Email").FillAsync(email);
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();

        await Expect(tab.Page.Locator("form")).ToHaveAttributeAsync("data-lead-state", "error");
        await Expect(tab.Page.Locator("[data-lead-result]")).ToContainTextAsync("could not be sent");
        await tab.ScreenshotAsync("capture-form-refused");
        (await browser.Host.CountStoredLeadsAsync(email)).Should().Be(0);
    }

    [Fact]
    public async Task Without_scripts_the_form_posts_itself_and_comes_back_to_the_thank_you_page()
    {
        var email = $"bob.{Guid.NewGuid():N}@acme-corp.test";
        var form = browser.AllowedSite.Serve("/form.html", ConsoleData.SampleForm(browser.ApiBase, browser.AllowedSite.Origin));
        browser.AllowedSite.Serve("/thanks.html", "<!doctype html><title>Thanks</title><h1>Thanks for writing</h1>");
        await using var tab = await browser.OpenAsync(signedIn: false, javaScript: false);

        await tab.Page.GotoAsync(form.ToString());
        await tab.Page.GetByLabel("Email").FillAsync(email);
        await tab.Page.GetByLabel("Your name").FillAsync("Bob");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();

        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Thanks for writing" })).ToBeVisibleAsync();
        tab.Page.Url.Should().Be(new Uri(browser.AllowedSite.Origin, "/thanks.html").ToString());
        (await browser.Host.CountStoredLeadsAsync(email)).Should().Be(1);
    }
}
