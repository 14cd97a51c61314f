using System.Net;

namespace LeadFunctions.Functions.Tests.Features.Capture;

/// <summary>A web form's consent boxes (SPEC 4.2) through the public capture endpoint, as JSON and as a form post.</summary>
public sealed class CaptureConsentTests(SharedHost shared)
{
    private readonly HttpClient client = shared.Client;

    [Fact]
    public async Task A_json_capture_sets_the_flags_it_sends_and_leaves_the_others_off()
    {
        var id = await client.CaptureIdAsync(new { email = $"ann@{Api.UniqueDomain()}", emailOptOut = true, doNotContact = true });

        var lead = await client.GetJsonAsync($"leads/{id}");

        (lead["emailOptOut"]!.GetValue<bool>(), lead["phoneOptOut"]!.GetValue<bool>(), lead["doNotContact"]!.GetValue<bool>()).Should().Be((true, false, true));
        lead["firstTouch"].Should().BeNull("a record never merged has no touches");
    }

    [Fact]
    public async Task A_form_post_reads_ticked_checkboxes_and_refuses_a_value_that_is_no_yes_or_no()
    {
        var email = $"form@{Api.UniqueDomain()}";

        var accepted = await PostFormAsync(new() { ["email"] = email, ["phoneOptOut"] = "on", ["doNotContact"] = "true" }, HttpStatusCode.Accepted);
        var refused = await PostFormAsync(new() { ["email"] = $"other.{email}", ["emailOptOut"] = "maybe" }, HttpStatusCode.BadRequest);

        var lead = await client.GetJsonAsync($"leads/{accepted["id"]!.GetValue<string>()}");
        (lead["emailOptOut"]!.GetValue<bool>(), lead["phoneOptOut"]!.GetValue<bool>(), lead["doNotContact"]!.GetValue<bool>()).Should().Be((false, true, true));
        refused["errors"]!.AsObject().Should().ContainKey("emailOptOut");
        (await shared.Host.CountStoredLeadsAsync($"other.{email}")).Should().Be(0, "a refused capture stores nothing");
    }

    [Fact]
    public async Task The_same_form_sent_again_with_an_opt_out_is_stored_rather_than_taken_for_a_repeat()
    {
        var form = new { email = $"again@{Api.UniqueDomain()}", name = "Quote request", message = "Call me" };
        var first = await client.CaptureIdAsync(form);

        var repeat = await client.CaptureIdAsync(form);
        var optedOut = await client.CaptureIdAsync(new { form.email, form.name, form.message, doNotContact = true });

        repeat.Should().Be(first);
        optedOut.Should().NotBe(first);
        (await client.GetJsonAsync($"leads/{optedOut}"))["doNotContact"]!.GetValue<bool>().Should().BeTrue();
    }

    private async Task<System.Text.Json.Nodes.JsonObject> PostFormAsync(Dictionary<string, string> fields, HttpStatusCode expected)
    {
        using var content = new FormUrlEncodedContent(fields);
        using var request = new HttpRequestMessage(HttpMethod.Post, "capture") { Content = content };
        request.Headers.Add("X-Client-IP", Api.NewClientIp());
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        await response.ShouldHaveStatusAsync(expected);
        return await response.JsonAsync();
    }
}
