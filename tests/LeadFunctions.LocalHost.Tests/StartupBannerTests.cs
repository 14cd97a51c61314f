using LeadFunctions.LocalHost.Http;
using LeadFunctions.LocalHost.Identity;
using LeadFunctions.LocalHost.Metadata;

namespace LeadFunctions.LocalHost.Tests;

public sealed class StartupBannerTests
{
    private static string Banner(bool defaultKey, DevIdentityOptions? identity = null) => StartupBanner.Format(
        FunctionCatalog.Load(Path.Combine(AppContext.BaseDirectory, "test.functions.metadata"), typeof(StartupBannerTests).Assembly),
        HostJsonSettings.Load(Path.Combine(AppContext.BaseDirectory, "test.host.json")),
        new Uri("http://127.0.0.1:7071/"),
        defaultKey,
        identity);

    [Fact]
    public void Lists_http_functions_with_methods_and_urls_and_queue_functions_with_their_queue()
    {
        var lines = Banner(defaultKey: false).Split(Environment.NewLine);

        lines.Should().Contain("        Hello: [GET] http://127.0.0.1:7071/api/hello/{name:alpha}");
        lines.Should().Contain("        Written: [ALL] http://127.0.0.1:7071/api/Written");
        lines.Should().Contain("        Flaky: queueTrigger (queue: flaky)");
    }

    [Fact]
    public void Names_the_default_key_only_when_no_key_is_configured()
    {
        Banner(defaultKey: true).Should().Contain($"(default \"{FunctionKeyAuthorization.DefaultKey}\")");
        Banner(defaultKey: false).Should().NotContain("default");
    }

    [Fact]
    public void In_development_says_how_to_sign_in_in_a_browser_and_from_a_script()
    {
        const string authority = "https://localhost:7072/.auth/dev";
        var lines = Banner(defaultKey: true, new DevIdentityOptions(authority, DevIdentity.DefaultAudience, authority)).Split(Environment.NewLine);

        lines.Should().Contain(l => l.StartsWith("Sign in locally", StringComparison.Ordinal) && l.Contains($"{authority}/authorize", StringComparison.Ordinal));
        lines.Should().Contain(l => l.Contains("dotnet dev-certs https --trust", StringComparison.Ordinal));
        // The script's example goes to the host's http address, where it needs no certificate.
        lines.Should().Contain("  curl -s -X POST http://127.0.0.1:7071/.auth/dev/token -H 'Content-Type: application/json' -d '{\"email\":\"lea@sales.test\",\"roles\":[\"sales\"]}'");
    }

    [Fact]
    public void Says_when_the_app_trusts_another_authority_and_nothing_about_sign_in_outside_development()
    {
        var other = Banner(defaultKey: true, new DevIdentityOptions("https://localhost:7072/.auth/dev", DevIdentity.DefaultAudience, "https://login.microsoftonline.com/contoso/v2.0"));

        other.Should().Contain("does not accept tokens of the local provider").And.NotContain("curl");
        Banner(defaultKey: true).Should().NotContain("Sign in").And.NotContain(".auth/dev");
    }
}
