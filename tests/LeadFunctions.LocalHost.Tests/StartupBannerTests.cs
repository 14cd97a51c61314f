using LeadFunctions.LocalHost.Http;
using LeadFunctions.LocalHost.Metadata;

namespace LeadFunctions.LocalHost.Tests;

public sealed class StartupBannerTests
{
    private static string Banner(bool defaultKey) => StartupBanner.Format(
        FunctionCatalog.Load(Path.Combine(AppContext.BaseDirectory, "test.functions.metadata"), typeof(StartupBannerTests).Assembly),
        HostJsonSettings.Load(Path.Combine(AppContext.BaseDirectory, "test.host.json")),
        new Uri("http://127.0.0.1:7071/"),
        defaultKey);

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
}
