using LeadFunctions.LocalHost.Tests.TestFunctions;
using Microsoft.Extensions.Configuration;

namespace LeadFunctions.LocalHost.Tests.Timers;

public sealed class TimerFunctionTests(LocalHostFixture host)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_timer_runs_on_startup_then_on_its_schedule_and_never_twice_at_once()
    {
        _ = host;
        await InvocationLog.WaitUntilAsync(() => TimerTestFunctions.Runs >= 1, Patience);
        InvocationLog.Count("Tick", "scheduled").Should().BeGreaterThanOrEqualTo(1, "the run gets its schedule status");

        // The first run is held: three occurrences of the every-second schedule go by meanwhile.
        var held = System.Diagnostics.Stopwatch.StartNew();
        await InvocationLog.WaitUntilAsync(() => held.Elapsed > TimeSpan.FromSeconds(3), Patience);
        TimerTestFunctions.Runs.Should().Be(1, "a run still going is not started again");

        InvocationLog.Release(TimerTestFunctions.FirstRun);
        await InvocationLog.WaitUntilAsync(() => TimerTestFunctions.Runs >= 3, Patience);
    }

    [Theory]
    [InlineData(null, "Timers:Tick, which is not set")]
    [InlineData("every minute", "'every minute' (from %Timers:Tick%) is not an NCRONTAB expression")]
    public async Task A_schedule_that_is_missing_or_no_NCRONTAB_fails_the_start_naming_it(string? schedule, string expected)
    {
        var settings = LocalHostFixture.Settings(host.Azurite.ConnectionString);
        settings[LocalHostFixture.TickSetting] = schedule;
        var build = () => LocalHostApp.BuildAsync(["--port", "0"], configuration => configuration.AddInMemoryCollection(settings));

        (await build.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("Tick").And.Contain(expected);
    }
}
