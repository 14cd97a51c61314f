using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace LeadFunctions.LocalHost.Tests.Http;

public sealed class HttpFunctionTests(LocalHostFixture host)
{
    private HttpClient Client => host.Client;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_route_value_is_bound_to_the_parameter_of_the_same_name()
    {
        var response = await Client.GetAsync("api/hello/World", Ct);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("greeting").GetString().Should().Be("Hello World");
    }

    [Fact]
    public async Task A_route_constraint_that_does_not_match_gives_404()
    {
        var response = await Client.GetAsync("api/hello/123", Ct);

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_unknown_route_gives_404()
    {
        (await Client.GetAsync("api/nowhere", Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await Client.GetAsync("hello/World", Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound, "routes live under the prefix");
    }

    [Fact]
    public async Task A_method_the_function_does_not_declare_is_refused()
    {
        var response = await Client.PostAsync("api/hello/World", null, Ct);

        response.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    public async Task A_function_route_answers_with_the_key_in_the_header(string method)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "api/items/42");
        request.Headers.Add("x-functions-key", LocalHostFixture.FunctionKey);

        var response = await Client.SendAsync(request, Ct);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        body.GetProperty("id").GetInt32().Should().Be(42);
        body.GetProperty("method").GetString().Should().Be(method);
        body.GetProperty("cancellable").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task A_function_route_answers_a_get_with_the_key_in_the_code_query_parameter()
    {
        var response = await Client.GetAsync($"api/items/7?code={LocalHostFixture.FunctionKey}", Ct);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    public async Task An_unsafe_method_takes_the_key_from_the_header_only_so_a_plain_form_post_cannot_carry_it(string method)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), $"api/items/7?code={LocalHostFixture.FunctionKey}");

        var response = await Client.SendAsync(request, Ct);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync(Ct)).Should().Contain("x-functions-key");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    [InlineData("test-key-but-longer")]
    public async Task A_function_route_refuses_a_missing_or_wrong_key_with_a_problem(string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/items/42");
        if (key is not null)
        {
            request.Headers.Add("x-functions-key", key);
        }

        var response = await Client.SendAsync(request, Ct);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        problem.GetProperty("status").GetInt32().Should().Be(401);
        problem.GetProperty("title").GetString().Should().NotBeNullOrEmpty();
        problem.GetProperty("type").GetString().Should().NotBeNullOrEmpty();
        problem.GetProperty("detail").GetString().Should().Contain("x-functions-key");
    }

    [Fact]
    public async Task An_admin_route_without_route_or_methods_answers_every_method_at_the_function_name()
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, "api/Written");
        request.Headers.Add("x-functions-key", LocalHostFixture.FunctionKey);

        var response = await Client.SendAsync(request, Ct);

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        (await response.Content.ReadAsStringAsync(Ct)).Should().Be("written");
        (await Client.GetAsync("api/Written", Ct)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_function_that_returns_nothing_answers_204()
    {
        var response = await Client.GetAsync("api/nothing", Ct);

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task An_exception_gives_a_500_problem()
    {
        var response = await Client.GetAsync("api/boom", Ct);

        response.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        problem.GetProperty("status").GetInt32().Should().Be(500);
        problem.GetProperty("detail").GetString().Should().Contain("Boom").And.NotContain("boom", "the exception message stays in the log");
    }
}
