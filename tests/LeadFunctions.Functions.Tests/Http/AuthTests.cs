using System.Net;
using System.Text.Json.Nodes;
using LeadFunctions.Functions.OpenApi;

namespace LeadFunctions.Functions.Tests.Http;

/// <summary>Every non-public route refuses a missing or wrong key (SPEC 5, 8 Security).</summary>
public sealed class AuthTests(SharedHost shared)
{
    private static readonly string[] PublicPaths = ["/capture", "/health", "/openapi.json", "/console", "/console/{asset}", "/capture.js"];

    public static TheoryData<string, string> ProtectedRoutes()
    {
        var data = new TheoryData<string, string>();
        var document = JsonNode.Parse(OpenApiDocument.Text)!;
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            if (PublicPaths.Contains(path))
            {
                continue;
            }
            foreach (var (method, _) in item!.AsObject().Where(m => m.Key != "parameters"))
            {
                data.Add(method.ToUpperInvariant(), System.Text.RegularExpressions.Regex.Replace(path, "{[^}]+}", "01ARZ3NDEKTSV4RRFFQ69G5FAV"));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ProtectedRoutes))]
    public async Task A_missing_or_wrong_key_is_a_401_problem(string method, string path)
    {
        using var anonymous = new HttpClient { BaseAddress = shared.Client.BaseAddress };

        using var missing = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path.TrimStart('/')), TestContext.Current.CancellationToken);
        using var wrongHeader = new HttpRequestMessage(new HttpMethod(method), path.TrimStart('/'));
        wrongHeader.Headers.Add("x-functions-key", "wrong");
        using var wrong = await anonymous.SendAsync(wrongHeader, TestContext.Current.CancellationToken);
        using var wrongCode = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path.TrimStart('/') + "?code=wrong"), TestContext.Current.CancellationToken);

        missing.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        missing.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        wrongCode.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_key_is_accepted_as_the_code_query_parameter()
    {
        using var anonymous = new HttpClient { BaseAddress = shared.Client.BaseAddress };

        using var response = await anonymous.GetAsync($"settings?code={TestHost.FunctionKey}", TestContext.Current.CancellationToken);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("health")]
    [InlineData("openapi.json")]
    public async Task Public_routes_need_no_key(string path)
    {
        using var anonymous = new HttpClient { BaseAddress = shared.Client.BaseAddress };

        using var response = await anonymous.GetAsync(path, TestContext.Current.CancellationToken);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
