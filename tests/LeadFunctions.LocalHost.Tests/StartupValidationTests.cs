using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

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

    [Theory]
    [InlineData("soon")]
    [InlineData("00:00:00.500")]
    public async Task A_queue_lease_that_is_not_a_time_span_of_a_second_or_more_fails_the_start_naming_the_setting(string lease)
    {
        var settings = LocalHostFixture.Settings(host.Azurite.ConnectionString);
        settings[LocalHostApp.QueueLeaseSetting] = lease;
        var build = () => LocalHostApp.BuildAsync(["--port", "0"], configuration => configuration.AddInMemoryCollection(settings));

        (await build.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain(LocalHostApp.QueueLeaseSetting).And.Contain(lease);
    }
}
