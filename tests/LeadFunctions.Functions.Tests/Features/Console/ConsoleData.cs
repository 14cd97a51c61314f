using System.Net;
using System.Text.Json.Nodes;

namespace LeadFunctions.Functions.Tests.Features.Console;

/// <summary>What a browser test starts from, made through the API: each test works in a team of its own, so that its lists hold only its records.</summary>
public static class ConsoleData
{
    public static async Task<string> TeamAsync(this HttpClient client, string name, params string[] memberIds) =>
        (await client.SendJsonAsync(HttpMethod.Post, "teams", new { name, memberIds }, HttpStatusCode.Created))["id"]!.GetValue<string>();

    public static async Task<string> SalespersonAsync(this HttpClient client, string name) =>
        (await client.SendJsonAsync(HttpMethod.Post, "salespeople", new { name }, HttpStatusCode.Created))["id"]!.GetValue<string>();

    public static async Task<string> LeadAsync(this HttpClient client, object fields) =>
        (await client.SendJsonAsync(HttpMethod.Post, "leads", fields, HttpStatusCode.Created))["id"]!.GetValue<string>();

    public static async Task<JsonObject> LeadByIdAsync(this HttpClient client, string id) => await client.GetJsonAsync($"leads/{id}");

    public static string Text(this JsonObject record, string field) => record[field]?.GetValue<string>() ?? "";

    /// <summary>
    /// A control of the list's filter form, by its name: by label it could also match a record's
    /// "Select …" box, as other tests' records share the lists.
    /// </summary>
    public static Microsoft.Playwright.ILocator Filter(Microsoft.Playwright.IPage page, string name) =>
        page.Locator($"form[role=search] [name={name}]");

    /// <summary>The sample page of the README's capture section, pointed at this host and this site.</summary>
    public static string SampleForm(Uri apiBase, Uri site)
    {
        var root = LeadFunctions.Azurite.RepositoryRoot.Find() ?? throw new InvalidOperationException("The tests run inside the repository.");
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var start = readme.IndexOf("```html\n<!doctype html>", StringComparison.Ordinal);
        start.Should().BeGreaterThan(0, "the README shows a sample page with the capture script");
        start += "```html\n".Length;
        var end = readme.IndexOf("```", start, StringComparison.Ordinal);
        return readme[start..end]
            .Replace("http://localhost:7071/api/", apiBase.ToString(), StringComparison.Ordinal)
            .Replace("http://localhost:3000/", site.ToString(), StringComparison.Ordinal);
    }
}
