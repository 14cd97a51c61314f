using System.Text.Json.Nodes;
using LeadFunctions.LocalHost;

namespace LeadFunctions.Functions.Tests;

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
            .SelectMany(p => p.Value!.AsObject().Select(m => $"{m.Key} {p.Key}"))
            .Order()
            .ToList();

        fromFunctions.Should().NotBeEmpty();
        described.Should().Equal(fromFunctions);
        document["openapi"]!.GetValue<string>().Should().StartWith("3.");
        document["components"]!["schemas"]!["Lead"]!["properties"]!.AsObject().Should().ContainKey("duplicateCheck");
    }

    [Fact]
    public async Task Health_reports_storage_reachable()
    {
        var health = await shared.Client.GetJsonAsync("health");

        health["status"]!.GetValue<string>().Should().Be("healthy");
        health["storage"]!.GetValue<string>().Should().Be("reachable");
    }
}
