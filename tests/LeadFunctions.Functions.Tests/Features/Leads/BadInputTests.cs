using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace LeadFunctions.Functions.Tests.Features.Leads;

/// <summary>SPEC 5 and 8 "Bad input": every way a request can be malformed is a 4xx problem, and stores nothing.</summary>
public sealed class BadInputTests(SharedHost shared)
{
    private readonly HttpClient client = shared.Client;

    /// <summary>Every route that reads a JSON body, with a body that would otherwise be accepted or refused on its merits.</summary>
    public static TheoryData<string, string> JsonRoutes() => new()
    {
        { "POST", "capture" },
        { "POST", "leads" },
        { "PATCH", "leads/{lead}" },
        { "POST", "leads/{lead}/notes" },
        { "POST", "leads/{lead}/lose" },
        { "POST", "leads/{lead}/convert" },
        { "POST", "conversions" },
        { "POST", "merges" },
        { "POST", "merges/01ARZ3NDEKTSV4RRFFQ69G5FAV/undo" },
        { "PUT", "settings" },
        { "POST", "teams" },
        { "PATCH", "teams/{team}" },
        { "POST", "salespeople" },
        { "PATCH", "salespeople/{salesperson}" },
        { "POST", "customers" },
    };

    [Theory]
    [MemberData(nameof(JsonRoutes))]
    public async Task A_lone_surrogate_in_a_value_or_a_key_is_a_400(string method, string route)
    {
        var path = await PathAsync(route);
        foreach (var body in new[] { "{\"name\":\"Ann \\ud800 Lee\"}", "{\"name\":\"\\udc00\"}", "{\"\\ud800\":\"x\"}", "{\"tags\":[\"\\ud83d\"]}" })
        {
            using var response = await SendAsync(method, path, body, "application/json");
            await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest);
        }
    }

    [Theory]
    [MemberData(nameof(JsonRoutes))]
    public async Task A_key_given_twice_is_a_400(string method, string route)
    {
        var path = await PathAsync(route);

        using var response = await SendAsync(method, path, "{\"name\":\"First\",\"name\":\"Second\"}", "application/json");

        await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("application/jsonfoo")]
    [InlineData("application/json-seq")]
    [InlineData("text/json")]
    [InlineData("text/plain")]
    [InlineData("application/json; charset=iso-8859-1")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("application/json; boundary=x")]
    [InlineData("application/merge-patch+json")]
    [InlineData("not a media type")]
    public async Task Only_application_json_in_UTF_8_is_read(string contentType)
    {
        var email = $"type@{Api.UniqueDomain()}";

        using var response = await SendAsync("POST", "leads", $"{{\"name\":\"Typed\",\"email\":\"{email}\"}}", contentType);

        await ShouldBeProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        (await client.GetJsonAsync($"leads?email={email}"))["items"]!.AsArray().Should().BeEmpty();
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("Application/JSON; charset=UTF-8")]
    [InlineData("application/json;charset=\"utf-8\"")]
    public async Task Application_json_with_or_without_a_UTF_8_charset_is_read(string contentType)
    {
        using var response = await SendAsync("POST", "leads", "{\"name\":\"Typed right\"}", contentType);

        response.StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_merge_patch_may_say_it_is_one()
    {
        var id = await TestRecords.CreateAsync(client, new { name = "Patched" });

        using var response = await SendAsync("PATCH", $"leads/{id}", "{\"city\":\"Lyon\"}", "application/merge-patch+json");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.GetJsonAsync($"leads/{id}"))["city"]!.GetValue<string>().Should().Be("Lyon");
    }

    [Theory]
    [InlineData("name=Bad%FFbyte")]
    [InlineData("name=%C3%28")]
    [InlineData("name=%ED%A0%80")]
    public async Task A_form_capture_that_is_not_UTF_8_is_a_400_and_stores_nothing(string field)
    {
        var email = $"form@{Api.UniqueDomain()}";

        using var response = await FormCaptureAsync($"email={Uri.EscapeDataString(email)}&{field}");

        await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest);
        (await client.GetJsonAsync($"leads?email={email}"))["items"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task A_form_field_given_twice_is_a_400_but_tags_may_repeat()
    {
        var domain = Api.UniqueDomain();

        using var twice = await FormCaptureAsync($"email=a%40{domain}&email=b%40{domain}");
        using var tags = await FormCaptureAsync($"email=c%40{domain}&tags=one&tags=two,three&name=Caf%C3%A9");

        await ShouldBeProblemAsync(twice, HttpStatusCode.BadRequest);
        (await twice.JsonAsync())["errors"]!.AsObject().Should().ContainKey("email");
        tags.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var lead = await client.GetJsonAsync($"leads/{(await tags.JsonAsync())["id"]}");
        lead["tags"]!.AsArray().Select(t => t!.GetValue<string>()).Should().Equal("one", "two", "three");
        lead["name"]!.GetValue<string>().Should().Be("Café");
    }

    [Theory]
    [InlineData("GET", "nothing-here")]
    [InlineData("GET", "leads//log")]
    [InlineData("DELETE", "leads")]
    [InlineData("PUT", "leads/01ARZ3NDEKTSV4RRFFQ69G5FAV")]
    [InlineData("POST", "health")]
    public async Task Unknown_routes_and_wrong_methods_are_problems(string method, string path)
    {
        using var response = await SendAsync(method, path, null, null);

        response.StatusCode.Should().BeOneOf(HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed);
        await ShouldBeProblemAsync(response, response.StatusCode);
    }

    [Theory]
    [InlineData("GET /api/leads/%00 HTTP/1.1", 400)]
    [InlineData("GET /api/leads/01ARZ3NDEKTSV4RRFFQ69G5FAV%00/log HTTP/1.1", 400)]
    [InlineData("GET /api/{long} HTTP/1.1", 414)]
    [InlineData("GET /api/health HTTP/1.1\r\nX-Big: {long}{long}{long}{long}", 431)]
    [InlineData("GET /api/health HTTP/1.7", 505)]
    public async Task What_the_host_refuses_before_any_function_is_a_problem_too(string requestLine, int status)
    {
        var request = requestLine.Replace("{long}", new string('a', 9000), StringComparison.Ordinal) + $"\r\nHost: localhost\r\nAuthorization: {client.DefaultRequestHeaders.Authorization}\r\n\r\n";

        var (code, contentType, body) = await RawAsync(request);

        code.Should().Be(status);
        contentType.Should().Be("application/problem+json");
        JsonNode.Parse(body)!["status"]!.GetValue<int>().Should().Be(status);
    }

    private async Task<string> PathAsync(string route)
    {
        if (route.Contains("{lead}", StringComparison.Ordinal))
        {
            route = route.Replace("{lead}", await TestRecords.CreateAsync(client, new { name = "Target" }), StringComparison.Ordinal);
        }
        if (route.Contains("{team}", StringComparison.Ordinal))
        {
            var team = await client.SendJsonAsync(HttpMethod.Post, "teams", new { name = "Target team" }, HttpStatusCode.Created);
            route = route.Replace("{team}", team["id"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        if (route.Contains("{salesperson}", StringComparison.Ordinal))
        {
            var person = await client.SendJsonAsync(HttpMethod.Post, "salespeople", new { name = "Target", email = $"t@{Api.UniqueDomain()}" }, HttpStatusCode.Created);
            route = route.Replace("{salesperson}", person["id"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        return route;
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string? body, string? contentType)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        request.Headers.Add("X-Client-IP", Api.NewClientIp());
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private async Task<HttpResponseMessage> FormCaptureAsync(string form)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "capture") { Content = new ByteArrayContent(Encoding.ASCII.GetBytes(form)) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded");
        request.Headers.Add("X-Client-IP", Api.NewClientIp());
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static async Task ShouldBeProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        await response.ShouldHaveStatusAsync(expected);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        (await response.JsonAsync())["status"]!.GetValue<int>().Should().Be((int)expected);
    }

    /// <summary>A request written to the socket as given, for what HttpClient would refuse to send.</summary>
    private async Task<(int Status, string? ContentType, string Body)> RawAsync(string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, client.BaseAddress!.Port, TestContext.Current.CancellationToken);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), TestContext.Current.CancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync(TestContext.Current.CancellationToken);
        var head = response[..response.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        var status = int.Parse(head.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var contentType = head.Split("\r\n").FirstOrDefault(h => h.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase))?.Split(':', 2)[1].Trim();
        return (status, contentType, response[(head.Length + 4)..]);
    }
}
