using System.Collections.Concurrent;

namespace LeadFunctions.LocalHost.Tests.TestFunctions;

/// <summary>What the test functions saw; queue tests wait on it because invocations happen on the host's threads.</summary>
public static class InvocationLog
{
    private static readonly ConcurrentQueue<(string Function, string Value)> Entries = new();

    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Holds = new();

    /// <summary>Lets a test keep an invocation running for as long as it needs.</summary>
    public static Task HeldUntilReleasedAsync(string value) =>
        Holds.GetOrAdd(value, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public static void Release(string value) =>
        Holds.GetOrAdd(value, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

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
