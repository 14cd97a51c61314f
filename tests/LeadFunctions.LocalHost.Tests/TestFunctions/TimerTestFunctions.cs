using Microsoft.Azure.Functions.Worker;

namespace LeadFunctions.LocalHost.Tests.TestFunctions;

/// <summary>A timer entry point named by test.functions.metadata; its first run can be held to show that runs never overlap.</summary>
public sealed class TimerTestFunctions
{
    public const string FirstRun = "tick:first";

    private static int runs;

    public static int Runs => Volatile.Read(ref runs);

    public static async Task Tick(TimerInfo timer, CancellationToken cancellationToken)
    {
        var run = Interlocked.Increment(ref runs);
        InvocationLog.Record("Tick", timer.ScheduleStatus is { } status && status.Next > status.LastUpdated ? "scheduled" : "no schedule");
        if (run == 1)
        {
            await InvocationLog.HeldUntilReleasedAsync(FirstRun);
        }
    }
}
