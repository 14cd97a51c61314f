using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LeadFunctions.Functions.OpenApi;

namespace LeadFunctions.Functions.Tests.Features.Access;

/// <summary>
/// SPEC 10: every route × every credential. The role each route needs is read from the OpenAPI
/// document, so the document and the enforcement cannot drift apart.
/// </summary>
public sealed partial class AccessMatrixTests(AccessFixture access) : IClassFixture<AccessFixture>
{
    private const string AnyId = "01ARZ3NDEKTSV4RRFFQ69G5FAV";

    public static TheoryData<string, string, string> Routes()
    {
        var data = new TheoryData<string, string, string>();
        var document = JsonNode.Parse(OpenApiDocument.Text)!;
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject().Where(m => m.Key != "parameters"))
            {
                var role = operation!["x-required-role"]?.GetValue<string>() ?? "public";
                data.Add(method.ToUpperInvariant(), Placeholder().Replace(path, AnyId), role);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Each_route_lets_in_exactly_the_credentials_its_role_allows(string method, string path, string role)
    {
        if (role == "public")
        {
            (await SendAsync(method, path, null)).Should().NotBe(HttpStatusCode.Unauthorized).And.NotBe(HttpStatusCode.Forbidden, $"{method} {path} is public");
            return;
        }
        var needed = Array.IndexOf(AccessFixture.RoleNames, role);
        needed.Should().BeGreaterThanOrEqualTo(0, $"{method} {path} declares x-required-role '{role}'");

        (await SendAsync(method, path, null)).Should().Be(HttpStatusCode.Unauthorized, "no credential");
        (await SendAsync(method, path, null, functionKey: true)).Should().Be(HttpStatusCode.Unauthorized, "a function key opens nothing");
        foreach (var (what, header) in access.Refused)
        {
            (await SendAsync(method, path, header)).Should().Be(HttpStatusCode.Unauthorized, what);
        }
        for (var i = 0; i < AccessFixture.RoleNames.Length; i++)
        {
            var name = AccessFixture.RoleNames[i];
            var expectation = i >= needed ? "let in" : "refused";
            var person = await SendAsync(method, path, access.PersonByRole[name]);
            var key = await SendAsync(method, path, AccessFixture.Bearer(access.KeyByRole[name]), asApiKeyHeader: i % 2 == 0);
            foreach (var (status, credential) in new[] { (person, "person"), (key, "API key") })
            {
                status.Should().NotBe(HttpStatusCode.Unauthorized, $"a valid {name} {credential}");
                if (i >= needed)
                {
                    status.Should().NotBe(HttpStatusCode.Forbidden, $"a {name} {credential} is {expectation} on {method} {path} (needs {role})");
                }
                else
                {
                    status.Should().Be(HttpStatusCode.Forbidden, $"a {name} {credential} is {expectation} on {method} {path} (needs {role})");
                }
            }
        }
    }

    private async Task<HttpStatusCode> SendAsync(string method, string path, System.Net.Http.Headers.AuthenticationHeaderValue? credential, bool asApiKeyHeader = false, bool functionKey = false)
    {
        using var http = new HttpClient { BaseAddress = access.Api };
        using var request = new HttpRequestMessage(new HttpMethod(method), path.TrimStart('/'));
        if (credential is not null && asApiKeyHeader)
        {
            request.Headers.Add("x-api-key", credential.Parameter);
        }
        else if (credential is not null)
        {
            request.Headers.Authorization = credential;
        }
        if (functionKey)
        {
            request.Headers.Add("x-functions-key", "local-dev-key");
        }
        // A body every route refuses (not an object): a caller let in gets a 400 and changes nothing, so
        // the matrix can run beside the other tests on the shared host.
        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent("[]", System.Text.Encoding.UTF8, "application/json");
        }
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        }
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            response.Headers.WwwAuthenticate.Should().NotBeEmpty("RFC 6750 says how to authenticate");
        }
        return response.StatusCode;
    }

    [GeneratedRegex("{[^}]+}")]
    private static partial Regex Placeholder();
}
