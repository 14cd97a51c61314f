using System.Net;
using System.Text.RegularExpressions;

namespace LeadFunctions.Functions.Tests.Features.Console;

/// <summary>The console's files over HTTP: public, under a strict policy, revalidated cheaply.</summary>
public sealed partial class ConsoleAssetTests(SharedHost shared)
{
    [Fact]
    public async Task The_page_and_every_file_it_names_are_served_without_a_key_under_a_strict_policy()
    {
        using var anonymous = new HttpClient { BaseAddress = shared.Client.BaseAddress };
        using var page = await anonymous.GetAsync("console", TestContext.Current.CancellationToken);
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        page.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        policy.Should().Contain("default-src 'none'").And.Contain("script-src 'self'").And.Contain("frame-ancestors 'none'").And.NotContain("unsafe");
        page.Headers.GetValues("X-Content-Type-Options").Single().Should().Be("nosniff");
        page.Headers.GetValues("Referrer-Policy").Single().Should().Be("no-referrer");

        var html = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        html.Should().NotContain("<script>").And.NotContain("style=");
        var files = FileReference().Matches(html).Select(m => m.Groups["file"].Value).ToList();
        // The page names its icon, so a browser does not ask for /favicon.ico and log a 404.
        files.Should().Contain(["console/app.js", "console/console.css", "console/favicon.svg"]);
        foreach (var file in files)
        {
            using var asset = await anonymous.GetAsync(file, TestContext.Current.CancellationToken);
            asset.StatusCode.Should().Be(HttpStatusCode.OK, file);
            asset.Headers.GetValues("Content-Security-Policy").Single().Should().Be(policy);
            asset.Headers.GetValues("X-Content-Type-Options").Single().Should().Be("nosniff");
            asset.Headers.GetValues("Cross-Origin-Resource-Policy").Single().Should().Be("same-origin");
        }
        policy.Should().Contain("img-src 'self'", "the icon is one of the console's own files");
    }

    [Fact]
    public async Task Every_module_the_console_imports_is_served()
    {
        // The page names app.js only; the rest are ES modules it imports, found here the way the browser finds them.
        using var anonymous = new HttpClient { BaseAddress = shared.Client.BaseAddress };
        var seen = new HashSet<string>(StringComparer.Ordinal) { "app.js" };
        var queue = new Queue<string>(seen);
        while (queue.TryDequeue(out var module))
        {
            using var answer = await anonymous.GetAsync($"console/{module}", TestContext.Current.CancellationToken);
            answer.StatusCode.Should().Be(HttpStatusCode.OK, module);
            answer.Content.Headers.ContentType!.MediaType.Should().Be("text/javascript", module);
            var script = await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            foreach (var imported in ModuleImport().Matches(script).Select(m => m.Groups["file"].Value).Where(seen.Add))
            {
                queue.Enqueue(imported);
            }
        }
        seen.Should().Contain(["record.js", "teams.js", "team-edit.js", "assignment.js"]);
    }

    [Fact]
    public async Task The_icon_is_an_svg_of_the_console_itself()
    {
        using var icon = await shared.Client.GetAsync("console/favicon.svg", TestContext.Current.CancellationToken);

        icon.StatusCode.Should().Be(HttpStatusCode.OK);
        icon.Content.Headers.ContentType!.MediaType.Should().Be("image/svg+xml");
        icon.Headers.ETag.Should().NotBeNull();
        icon.Headers.CacheControl!.NoCache.Should().BeTrue();
        var svg = await icon.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        svg.Should().StartWith("<svg").And.NotContain("<script").And.NotContain("href");
    }

    [Fact]
    public async Task An_unchanged_file_answers_304_and_an_unknown_one_a_404_problem()
    {
        using var first = await shared.Client.GetAsync("console/app.js", TestContext.Current.CancellationToken);
        first.Content.Headers.ContentType!.ToString().Should().Be("text/javascript; charset=utf-8");
        using var again = new HttpRequestMessage(HttpMethod.Get, "console/app.js");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var revalidated = await shared.Client.SendAsync(again, TestContext.Current.CancellationToken);
        revalidated.StatusCode.Should().Be(HttpStatusCode.NotModified);

        using var missing = await shared.Client.GetAsync("console/nothing.js", TestContext.Current.CancellationToken);
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        missing.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        using var slash = await new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = shared.Client.BaseAddress }
            .GetAsync("console/", TestContext.Current.CancellationToken);
        slash.StatusCode.Should().Be(HttpStatusCode.MovedPermanently);
        slash.Headers.Location!.ToString().Should().EndWith("/api/console");
    }

    [Fact]
    public async Task The_capture_script_may_be_included_by_any_site()
    {
        using var anonymous = new HttpClient { BaseAddress = shared.Client.BaseAddress };
        using var script = await anonymous.GetAsync("capture.js", TestContext.Current.CancellationToken);
        script.StatusCode.Should().Be(HttpStatusCode.OK);
        script.Content.Headers.ContentType!.MediaType.Should().Be("text/javascript");
        script.Headers.GetValues("Cross-Origin-Resource-Policy").Single().Should().Be("cross-origin");
        (await script.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Should().Contain("data-lead-form").And.Contain("Idempotency-Key");
    }

    [Fact]
    public async Task The_sign_in_settings_name_the_local_provider_and_the_policy_lets_the_page_reach_it_and_nothing_else()
    {
        using var anonymous = new HttpClient { BaseAddress = shared.Client.BaseAddress };
        using var answer = await anonymous.GetAsync("console/auth.json", TestContext.Current.CancellationToken);
        answer.StatusCode.Should().Be(HttpStatusCode.OK);
        answer.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        var settings = System.Text.Json.Nodes.JsonNode.Parse(await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        var authority = new Uri(settings["authority"]!.GetValue<string>());

        settings["enabled"]!.GetValue<bool>().Should().BeTrue();
        authority.Scheme.Should().Be("https", "MSAL.js accepts https authorities only, as Entra ID's are");
        authority.AbsolutePath.Should().Be("/.auth/dev");
        settings["clientId"]!.GetValue<string>().Should().Be("leadfunctions-console-local");
        settings["scope"]!.GetValue<string>().Should().Be("api://leadfunctions-local/access_as_user");
        settings["protocolMode"]!.GetValue<string>().Should().Be("OIDC", "the local provider is not Microsoft's");
        settings["knownAuthorities"]!.AsArray().Select(a => a!.GetValue<string>()).Should().Equal(authority.Authority);
        var policy = answer.Headers.GetValues("Content-Security-Policy").Single();
        policy.Should().Contain($"connect-src 'self' https://{authority.Authority};");
    }

    [Fact]
    public async Task The_sign_in_library_served_is_the_pinned_package_file_byte_for_byte()
    {
        var root = LeadFunctions.Azurite.RepositoryRoot.Find()!;
        await LeadFunctions.Azurite.AzuriteInstall.EnsureAsync(root, TimeSpan.FromMinutes(10), TestContext.Current.CancellationToken);
        var package = await File.ReadAllBytesAsync(Path.Combine(root, "node_modules", "@azure", "msal-browser", "lib", "msal-browser.min.js"), TestContext.Current.CancellationToken);
        var vendored = await File.ReadAllBytesAsync(Path.Combine(root, "src", "LeadFunctions.Functions", "Features", "Console", "Assets", "msal-browser.min.js"), TestContext.Current.CancellationToken);

        using var served = await shared.Client.GetAsync("console/msal-browser.min.js", TestContext.Current.CancellationToken);
        served.StatusCode.Should().Be(HttpStatusCode.OK);
        var bytes = await served.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        vendored.AsSpan().SequenceEqual(package).Should().BeTrue("Assets/msal-browser.min.js is @azure/msal-browser's lib/msal-browser.min.js as package.json pins it; copy it again after a version change");
        bytes.AsSpan().SequenceEqual(vendored).Should().BeTrue();
        System.Text.Encoding.UTF8.GetString(package, 0, 60).Should().StartWith("/*! @azure/msal-browser v5.29.0", "its header names the package and version");
    }

    [GeneratedRegex("(?:src|href)=\"(?<file>console/[^\"]+)\"")]
    private static partial Regex FileReference();

    [GeneratedRegex(@"(?:from|import)\s*'\./(?<file>[\w.-]+\.js)'")]
    private static partial Regex ModuleImport();
}
