using Microsoft.Extensions.Configuration;

namespace LeadFunctions.LocalHost.Tests;

public sealed class StartupValidationTests(LocalHostFixture host)
{
    [Fact]
    public async Task A_function_asking_for_a_FunctionContext_fails_the_start_naming_the_function()
    {
        var build = () => LocalHostApp.BuildAsync(
            ["--port", "0"],
            configuration => configuration.AddInMemoryCollection(LocalHostFixture.Settings(host.Azurite.ConnectionString, "context.functions.metadata")));

        (await build.Should().ThrowAsync<NotSupportedException>()).Which.Message.Should().Contain("NeedsContext").And.Contain("FunctionContext");
    }
}
