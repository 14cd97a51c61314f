using LeadFunctions.Azurite;
using LeadFunctions.LocalHost.Metadata;

namespace LeadFunctions.Functions.Tests.OpenApi;

/// <summary>The OpenAPI document describes exactly the routes the functions have.</summary>
public sealed class OpenApiTests(SharedHost shared)
{
    [Fact]
    public async Task Every_http_function_route_and_method_is_described_and_nothing_else()
    {
        var catalog = FunctionCatalog.Load(Path.Combine(AppContext.BaseDirectory, FunctionCatalog.FileName));
        var fromFunctions = catalog.Functions
            .Where(f => f.Http is not null)
            .SelectMany(f => (f.Http!.Methods ?? ["*"]).Select(m => $"{m.ToLowerInvariant()} /{f.Http.Route}"))
            .Order()
            .ToList();

        var document = await shared.Client.GetJsonAsync("openapi.json");
        var described = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Where(m => m.Key != "parameters").Select(m => $"{m.Key} {p.Key}"))
            .Order()
            .ToList();

        fromFunctions.Should().NotBeEmpty();
        described.Should().Equal(fromFunctions);
        document["openapi"]!.GetValue<string>().Should().StartWith("3.");
        document["components"]!["schemas"]!["Lead"]!["properties"]!.AsObject().Should().ContainKey("duplicateCheck");
    }

    [Theory]
    [InlineData("redocly", "lint")]
    [InlineData("spectral", "lint --ruleset {ruleset} --fail-severity error")]
    [InlineData("swagger-cli", "validate")]
    public async Task The_served_document_passes_each_linter(string tool, string command)
    {
        var root = RepositoryRoot.Find() ?? throw new InvalidOperationException("The tests run inside the repository.");
        var folder = Directory.CreateTempSubdirectory("openapi-lint-").FullName;
        try
        {
            var document = Path.Combine(folder, "openapi.json");
            await File.WriteAllTextAsync(document, await shared.Client.GetStringAsync("openapi.json", TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);
            var ruleset = Path.Combine(folder, ".spectral.yaml");
            await File.WriteAllTextAsync(ruleset, "extends: [\"spectral:oas\"]\n", TestContext.Current.CancellationToken);

            var start = new System.Diagnostics.ProcessStartInfo(Path.Combine(root, "node_modules", ".bin", tool))
            {
                WorkingDirectory = folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in command.Replace("{ruleset}", ruleset, StringComparison.Ordinal).Split(' ').Append(document))
            {
                start.ArgumentList.Add(argument);
            }
            // No telemetry or update checks from the linters.
            start.Environment["REDOCLY_TELEMETRY"] = "off";
            start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
            using var process = System.Diagnostics.Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);

            process.ExitCode.Should().Be(0, $"{tool} finds no error:{Environment.NewLine}{await output}{await error}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_document_is_OpenAPI_3_1_with_typed_parameters_and_every_answer_described()
    {
        var document = await shared.Client.GetJsonAsync("openapi.json");

        document["openapi"]!.GetValue<string>().Should().StartWith("3.1.");
        var operations = document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Where(m => m.Key != "parameters").Select(m => (Path: p.Key, Method: m.Key, Operation: m.Value!))).ToList();
        operations.SelectMany(o => o.Operation["responses"]!.AsObject().Select(r => r.Key)).Should().OnlyContain(code => code.Length == 3 && code.All(char.IsAsciiDigit), "status ranges such as 4XX break generated clients");
        Responses("/merges", "post").Should().Contain(["200", "201", "409"]);
        Responses("/capture", "post").Should().Contain(["202", "303", "429"]);
        Responses("/leads/{id}", "patch").Should().Contain(["200", "409", "412"]);
        document["paths"]!["/leads/{id}"]!["get"]!["responses"]!["200"]!["headers"]!.AsObject().Should().ContainKey("ETag");
        document["paths"]!["/capture"]!["post"]!["responses"]!["429"]!["headers"]!.AsObject().Should().ContainKey("Retry-After");
        document["paths"]!["/capture"]!["post"]!["requestBody"]!["content"]!.AsObject().Should().ContainKeys("application/json", "application/x-www-form-urlencoded");
        document["paths"]!["/imports"]!["post"]!["requestBody"]!["content"]!.AsObject().Should().ContainKeys("text/csv", "application/x-ndjson");
        document["components"]!["parameters"]!["pageSize"]!["schema"]!["type"]!.GetValue<string>().Should().Be("integer");
        document["components"]!["schemas"]!["Lead"]!["properties"]!["priority"]!["type"]!.GetValue<string>().Should().Be("integer");
        document["components"]!["schemas"]!["ConvertRequest"]!.AsObject().Should().NotContainKey("required", "everything a conversion leaves out takes the defaults");
        foreach (var (path, method, operation) in operations.Where(o => o.Operation["requestBody"] is not null))
        {
            var content = operation["requestBody"]!["content"]!.AsObject();
            // An import reads a file (CSV or JSON lines); every other body is JSON.
            var mediaType = path == "/imports" ? "text/csv" : "application/json";
            content[mediaType]!["schema"]!["$ref"].Should().NotBeNull($"{method} {path} describes its body");
        }

        IEnumerable<string> Responses(string path, string method) => document["paths"]![path]![method]!["responses"]!.AsObject().Select(r => r.Key);
    }

    /// <summary>SPEC 10's table of who may do what: the least role of each route that is not public.</summary>
    private static readonly Dictionary<string, string> RequiredRoles = new[]
    {
        ("sales", new[]
        {
            "post /leads", "get /leads", "get /leads/{id}", "patch /leads/{id}", "post /leads/{id}/lose", "post /leads/{id}/win",
            "post /leads/{id}/restore", "get /leads/{id}/similar", "post /leads/{id}/similar/{otherId}/dismiss", "get /leads/{id}/log",
            "post /leads/{id}/notes", "get /leads/{id}/conversion", "post /leads/{id}/convert", "post /merges", "get /merges/{mergeId}",
            "post /merges/{mergeId}/undo", "get /settings", "get /teams", "get /teams/{id}", "get /salespeople", "get /salespeople/{id}",
            "get /customers", "get /customers/{id}", "get /me", "get /teams/{id}/members",
        }),
        ("manager", new[]
        {
            "post /conversions", "post /imports", "get /imports/{id}", "post /teams", "patch /teams/{id}", "post /salespeople",
            "patch /salespeople/{id}", "post /customers", "put /teams/{id}", "post /assignments",
        }),
        ("admin", new[]
        {
            "put /settings", "post /webhooks", "get /webhooks", "get /webhooks/{id}", "patch /webhooks/{id}", "delete /webhooks/{id}",
            "get /webhooks/{id}/deliveries", "post /webhooks/{id}/test", "post /erasures", "get /erasures/{id}", "post /apikeys",
            "get /apikeys", "delete /apikeys/{id}",
        }),
    }.SelectMany(r => r.Item2.Select(route => (route, role: r.Item1))).ToDictionary(r => r.route, r => r.role);

    [Fact]
    public async Task Every_route_but_the_public_ones_names_SPEC_10_s_role_takes_a_token_or_an_API_key_and_answers_401_and_403()
    {
        var document = await shared.Client.GetJsonAsync("openapi.json");
        var operations = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Where(m => m.Key != "parameters").Select(m => (Route: $"{m.Key} {p.Key}", Operation: m.Value!)))
            .ToList();
        var schemes = document["components"]!["securitySchemes"]!;

        schemes["entraId"]!["type"]!.GetValue<string>().Should().Be("oauth2");
        schemes["entraId"]!["flows"]!["authorizationCode"]!["scopes"]!.AsObject().Should().ContainKey("access_as_user");
        schemes["apiKey"]!["in"]!.GetValue<string>().Should().Be("header");
        schemes["apiKey"]!["name"]!.GetValue<string>().Should().Be("x-api-key");
        schemes.AsObject().Select(s => s.Key).Should().NotContain(k => k.Contains("function", StringComparison.OrdinalIgnoreCase), "the function key grants nothing on the app's routes");

        var described = operations.Where(o => o.Operation["x-required-role"] is not null)
            .ToDictionary(o => o.Route, o => o.Operation["x-required-role"]!.GetValue<string>());
        described.Should().BeEquivalentTo(RequiredRoles);
        foreach (var (route, operation) in operations)
        {
            var security = operation["security"]!.AsArray().Select(r => string.Join('+', r!.AsObject().Select(s => s.Key))).ToList();
            if (!RequiredRoles.TryGetValue(route, out var role))
            {
                security.Should().Equal([""], $"{route} is public");
                continue;
            }
            security.Should().Contain(["entraId", "apiKey"], $"{route} takes a person's token or an API key");
            operation["description"]!.GetValue<string>().Should().EndWith($"Needs the {role} role.");
            foreach (var status in new[] { "401", "403" })
            {
                operation["responses"]![status]!["content"]!.AsObject().Should().ContainKey("application/problem+json", $"{route} answers {status} with a problem");
            }
        }
    }

    [Fact]
    public async Task Health_reports_storage_reachable()
    {
        var health = await shared.Client.GetJsonAsync("health");

        health["status"]!.GetValue<string>().Should().Be("healthy");
        health["storage"]!.GetValue<string>().Should().Be("reachable");
    }
}
