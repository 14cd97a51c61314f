using System.Net;
using System.Text;

namespace LeadFunctions.Functions.Tests.Features.Capture;

/// <summary>The public web-form endpoint, SPEC 5 "Capture".</summary>
public sealed class CaptureTests(SharedHost shared)
{
    private readonly HttpClient client = shared.Client;

    /// <summary>The records stored with an email (counted in storage: the list shows a capture once its check ran).</summary>
    private Task<int> CountByEmailAsync(string email) => shared.Host.CountStoredLeadsAsync(email.ToLowerInvariant());

    [Fact]
    public async Task A_capture_is_stored_at_once_with_every_form_field()
    {
        var email = $"ann@{Api.UniqueDomain()}";
        var id = await client.CaptureIdAsync(new
        {
            name = "Website enquiry", contactName = "Ann Lee", email, phone = "+1 415 555 2671", companyName = "Acme",
            website = "https://acme.example", message = "Call me", source = "web", medium = "form", campaign = "spring", tags = new[] { "a", "b" },
        });

        var lead = await client.GetJsonAsync($"leads/{id}");

        lead["type"]!.GetValue<string>().Should().Be("lead");
        lead["status"]!.GetValue<string>().Should().Be("active");
        lead["contactName"]!.GetValue<string>().Should().Be("Ann Lee");
        lead["description"]!.GetValue<string>().Should().Be("Call me");
        lead["campaign"]!.GetValue<string>().Should().Be("spring");
        lead["tags"]!.AsArray().Select(t => t!.GetValue<string>()).Should().Equal("a", "b");
        lead["version"]!.GetValue<string>().Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task A_form_encoded_post_is_accepted_and_unknown_form_fields_are_ignored()
    {
        var email = $"form@{Api.UniqueDomain()}";
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = "From the form", ["email"] = email, ["tags"] = "x, y", ["submit"] = "Send",
        });
        using var response = await client.PostAsync("capture", content, TestContext.Current.CancellationToken);

        await response.ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        var id = (await response.JsonAsync())["id"]!.GetValue<string>();
        (await client.GetJsonAsync($"leads/{id}"))["tags"]!.AsArray().Select(t => t!.GetValue<string>()).Should().Equal("x", "y");
    }

    [Fact]
    public async Task Without_email_and_phone_it_is_a_400_and_nothing_is_stored()
    {
        using var response = await client.CaptureAsync(new { name = "Nobody" });

        await response.ShouldHaveStatusAsync(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = await response.JsonAsync();
        problem["status"]!.GetValue<int>().Should().Be(400);
        problem["errors"]!.AsObject().Should().ContainKey("email");
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("two@@example.test")]
    [InlineData("a@b.test, c@d.test")]
    public async Task An_invalid_email_is_a_400(string email)
    {
        using var response = await client.CaptureAsync(new { email });

        await response.ShouldHaveStatusAsync(HttpStatusCode.BadRequest);
        (await response.JsonAsync())["errors"]!.AsObject().Should().ContainKey("email");
    }

    [Fact]
    public async Task An_invalid_phone_is_a_400()
    {
        using var response = await client.CaptureAsync(new { phone = "call me maybe" });

        await response.ShouldHaveStatusAsync(HttpStatusCode.BadRequest);
        (await response.JsonAsync())["errors"]!.AsObject().Should().ContainKey("phone");
    }

    [Fact]
    public async Task A_40_KB_body_is_a_413_and_nothing_is_stored()
    {
        var email = $"big@{Api.UniqueDomain()}";
        using var response = await client.CaptureAsync(new { email, message = new string('x', 40 * 1024) });

        await response.ShouldHaveStatusAsync(HttpStatusCode.RequestEntityTooLarge);
        (await CountByEmailAsync(email)).Should().Be(0);
    }

    [Fact]
    public async Task A_40_KB_body_sent_without_a_length_is_a_413_too()
    {
        var body = Encoding.UTF8.GetBytes($"{{\"email\":\"a@b.test\",\"message\":\"{new string('x', 40 * 1024)}\"}}");
        using var content = new StreamContent(new MemoryStream(body));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "capture") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Add("X-Client-IP", Api.NewClientIp());

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        await response.ShouldHaveStatusAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Theory]
    [InlineData("{\"email\": ")]
    [InlineData("[1,2]")]
    [InlineData("{\"email\": \"a@b.test\", \"tags\": \"not-a-list\"}")]
    [InlineData("{\"email\": \"a@b.test\", \"unknown\": 1}")]
    public async Task Malformed_json_is_a_400(string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "capture") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Client-IP", Api.NewClientIp());

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        await response.ShouldHaveStatusAsync(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task A_wrong_content_type_is_a_415()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "capture") { Content = new StringContent("email=a@b.test", Encoding.UTF8, "text/plain") };
        request.Headers.Add("X-Client-IP", Api.NewClientIp());

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        await response.ShouldHaveStatusAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task The_same_idempotency_key_twice_gives_one_record()
    {
        var email = $"idem@{Api.UniqueDomain()}";
        var key = Guid.NewGuid().ToString();
        using var first = await client.CaptureAsync(new { email, message = "one" }, idempotencyKey: key);
        using var second = await client.CaptureAsync(new { email, message = "one, retried with other content" }, idempotencyKey: key);

        await first.ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        await second.ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        (await second.JsonAsync())["id"]!.GetValue<string>().Should().Be((await first.JsonAsync())["id"]!.GetValue<string>());
        (await CountByEmailAsync(email)).Should().Be(1);
    }

    [Fact]
    public async Task The_same_email_with_the_same_content_is_a_repeat_and_other_content_is_not()
    {
        var domain = Api.UniqueDomain();
        var first = await client.CaptureIdAsync(new { email = $"Rep@{domain}", message = "hello" });
        var repeat = await client.CaptureIdAsync(new { email = $"rep@{domain}", message = "hello" });
        var other = await client.CaptureIdAsync(new { email = $"rep@{domain}", message = "hello again" });

        repeat.Should().Be(first);
        other.Should().NotBe(first);
        (await CountByEmailAsync($"rep@{domain}")).Should().Be(2);
    }

    [Fact]
    public async Task A_filled_honeypot_gets_a_202_and_nothing_is_stored()
    {
        var email = $"bot@{Api.UniqueDomain()}";
        using var response = await client.CaptureAsync(new { email, _hp = "i am a bot" });

        await response.ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        (await response.JsonAsync())["status"]!.GetValue<string>().Should().Be("received");
        (await CountByEmailAsync(email)).Should().Be(0);
    }

    [Fact]
    public async Task A_redirect_on_an_allowed_origin_answers_303_and_another_is_a_400()
    {
        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = client.BaseAddress };
        var target = TestHost.AllowedOrigin + "/thanks";
        using var allowed = await noRedirect.PostAsync("capture", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = $"r@{Api.UniqueDomain()}", ["_redirect"] = target,
        }), TestContext.Current.CancellationToken);
        using var denied = await noRedirect.PostAsync("capture", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = $"r@{Api.UniqueDomain()}", ["_redirect"] = "https://evil.example/phish",
        }), TestContext.Current.CancellationToken);

        await allowed.ShouldHaveStatusAsync(HttpStatusCode.SeeOther);
        allowed.Headers.Location.Should().Be(new Uri(target));
        await denied.ShouldHaveStatusAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Cors_answers_the_allowed_origin_only()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "capture");
        preflight.Headers.Add("Origin", TestHost.AllowedOrigin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        using var allowed = await client.SendAsync(preflight, TestContext.Current.CancellationToken);
        using var otherPreflight = new HttpRequestMessage(HttpMethod.Options, "capture");
        otherPreflight.Headers.Add("Origin", "https://evil.example");
        using var denied = await client.SendAsync(otherPreflight, TestContext.Current.CancellationToken);
        using var post = new HttpRequestMessage(HttpMethod.Post, "capture") { Content = System.Net.Http.Json.JsonContent.Create(new { email = $"c@{Api.UniqueDomain()}" }) };
        post.Headers.Add("Origin", "https://evil.example");
        using var deniedPost = await client.SendAsync(post, TestContext.Current.CancellationToken);

        await allowed.ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        allowed.Headers.GetValues("Access-Control-Allow-Origin").Should().Equal(TestHost.AllowedOrigin);
        denied.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse();
        denied.IsSuccessStatusCode.Should().BeFalse();
        await deniedPost.ShouldHaveStatusAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_page_of_the_function_app_itself_posts_same_origin_without_cors()
    {
        var own = client.BaseAddress!.GetLeftPart(UriPartial.Authority);
        using var post = new HttpRequestMessage(HttpMethod.Post, "capture") { Content = System.Net.Http.Json.JsonContent.Create(new { email = $"own@{Api.UniqueDomain()}" }) };
        post.Headers.Add("Origin", own);
        post.Headers.Add("X-Client-IP", Api.NewClientIp());
        using var sameOrigin = await client.SendAsync(post, TestContext.Current.CancellationToken);
        using var lookalike = new HttpRequestMessage(HttpMethod.Post, "capture") { Content = System.Net.Http.Json.JsonContent.Create(new { email = $"own@{Api.UniqueDomain()}" }) };
        lookalike.Headers.Add("Origin", own + ".evil.example");
        lookalike.Headers.Add("X-Client-IP", Api.NewClientIp());
        using var refused = await client.SendAsync(lookalike, TestContext.Current.CancellationToken);

        await sameOrigin.ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        sameOrigin.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse("a same-origin post is not a CORS request");
        await refused.ShouldHaveStatusAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_client_over_its_rate_gets_429_with_retry_after()
    {
        // The limit counts per clock minute, so a burst that crosses into the next minute rightly
        // starts counting again: try again, as a new client, until one burst fits in one minute.
        for (var attempt = 1; ; attempt++)
        {
            var minute = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60;
            var ip = Api.NewClientIp();
            var domain = Api.UniqueDomain();
            var statuses = new List<HttpStatusCode>();
            HttpResponseMessage? last = null;
            for (var i = 0; i < 31; i++)
            {
                last?.Dispose();
                last = await client.CaptureAsync(new { email = $"r{i}@{domain}" }, ip);
                statuses.Add(last.StatusCode);
            }
            using var over = last!;
            if (DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60 != minute && attempt < 3)
            {
                continue;
            }

            statuses.Take(30).Should().AllSatisfy(s => s.Should().Be(HttpStatusCode.Accepted));
            statuses[30].Should().Be(HttpStatusCode.TooManyRequests);
            over.Headers.RetryAfter!.Delta.Should().BePositive();
            (await CountByEmailAsync($"r30@{domain}")).Should().Be(0);

            // A page's script sees when to try again: the header is exposed to CORS.
            using var fromPage = new HttpRequestMessage(HttpMethod.Post, "capture") { Content = TestRecords.Json(new { email = $"r31@{domain}" }) };
            fromPage.Headers.Add("Origin", TestHost.AllowedOrigin);
            fromPage.Headers.Add("X-Client-IP", ip);
            using var refused = await client.SendAsync(fromPage, TestContext.Current.CancellationToken);
            refused.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
            refused.Headers.GetValues("Access-Control-Expose-Headers").Should().ContainSingle().Which.Should().Contain("Retry-After");
            return;
        }
    }

    [Fact]
    public async Task A_long_non_ascii_message_is_stored_whole()
    {
        var message = string.Concat(Enumerable.Repeat("Здравствуйте, «мир» & <друзья>! ", 480))[..15_000];
        var id = await client.CaptureIdAsync(new { email = $"ivan@{Api.UniqueDomain()}", message });

        var lead = await client.WaitCheckedAsync(id);

        lead["description"]!.GetValue<string>().Should().Be(message);
    }

    [Fact]
    public async Task Table_key_characters_and_control_characters_never_answer_500()
    {
        var domain = Api.UniqueDomain();
        var id = await client.CaptureIdAsync(new { email = $"a/b#c?d@{domain}", name = "x/y#z?" });
        var lead = await client.WaitCheckedAsync(id);
        lead["name"]!.GetValue<string>().Should().Be("x/y#z?");

        using var control = await client.CaptureAsync(new { email = $"ok@{domain}", name = "bell\u0007" });
        await control.ShouldHaveStatusAsync(HttpStatusCode.BadRequest);
        using var longName = await client.CaptureAsync(new { email = $"ok@{domain}", name = new string('n', 5000) });
        await longName.ShouldHaveStatusAsync(HttpStatusCode.BadRequest);
        using var manyTags = await client.CaptureAsync(new { email = $"ok@{domain}", tags = Enumerable.Range(0, 1000).Select(i => $"t{i}") });
        await manyTags.ShouldHaveStatusAsync(HttpStatusCode.BadRequest);
    }
}
