using System.Collections.Concurrent;

namespace LeadFunctions.LocalHost.Tests.TestFunctions;

/// <summary>What the test functions saw; queue tests wait on it because invocations happen on the host's threads.</summary>
public static class InvocationLog
{
    private static readonly ConcurrentQueue<(string Function, string Value)> Entries = new();

    public static void Record(string function, string value) => Entries.Enqueue((function, value));

    public static int Count(string function, string value) => Entries.Count(e => e.Function == function && e.Value == value);

    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        while (!condition())
        {
            await Task.Delay(50, cancellation.Token);
        }
    }
}
