using LeadFunctions.LocalHost.Metadata;

namespace LeadFunctions.LocalHost.Tests.Metadata;

public sealed class HostJsonSettingsTests
{
    [Fact]
    public void Values_come_from_host_json()
    {
        var settings = HostJsonSettings.Load(Path.Combine(AppContext.BaseDirectory, "test.host.json"));

        settings.Should().Be(new HostJsonSettings
        {
            RoutePrefix = "api",
            MaxDequeueCount = 3,
            VisibilityTimeout = TimeSpan.Zero,
            BatchSize = 8,
            MaxPollingInterval = TimeSpan.FromMilliseconds(300),
            Base64MessageEncoding = true,
        });
        settings.NewBatchThreshold.Should().Be(4, "half of the batch size when host.json does not say");
    }

    [Fact]
    public void A_missing_file_gives_the_Azure_defaults()
    {
        var settings = HostJsonSettings.Load(Path.Combine(AppContext.BaseDirectory, "absent.json"));

        settings.Should().Be(new HostJsonSettings());
        settings.MaxDequeueCount.Should().Be(5);
        settings.MaxPollingInterval.Should().Be(TimeSpan.FromMinutes(1));
    }
}
