namespace LeadFunctions.LocalHost.Tests.TestFunctions;

public sealed record Order(string Customer, int Quantity);

/// <summary>Queue entry points named by test.functions.metadata; they report to <see cref="InvocationLog"/>.</summary>
public sealed class QueueTestFunctions
{
    public static Task Ingest(Order order, string id, long dequeueCount, CancellationToken cancellationToken)
    {
        InvocationLog.Record("Ingest", $"{order.Customer}:{order.Quantity}:{dequeueCount}:{!string.IsNullOrEmpty(id)}");
        return Task.CompletedTask;
    }

    public async Task Flaky(string message)
    {
        InvocationLog.Record("Flaky", message);
        if (message.StartsWith("fail", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("This message always fails.");
        }
        if (message.StartsWith("hold", StringComparison.Ordinal))
        {
            await InvocationLog.HeldUntilReleasedAsync(message);
        }
    }
}
