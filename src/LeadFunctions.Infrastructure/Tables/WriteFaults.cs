namespace LeadFunctions.Infrastructure.Tables;

/// <summary>A fault injected after a storage write, standing for a process that dies there.</summary>
public sealed class InjectedFaultException(string step) : Exception($"Fault injected after '{step}'.");

/// <summary>
/// The seam that tests use to kill a merge, an undo or a conversion right after any one of its storage writes,
/// or to hold an operation at a named step (two ingest checks at the same moment).
/// In production nothing is set and every call is a no-op.
/// </summary>
public sealed class WriteFaults
{
    private int writes;

    /// <summary>Called with the running count of writes and the step's name; true kills the operation there.</summary>
    public Func<int, string, bool>? FailAfter { get; set; }

    /// <summary>Writes seen since the last reset.</summary>
    public int Writes => writes;

    /// <summary>Awaited at each named step; lets a test hold operations there until it releases them.</summary>
    public Func<string, Task>? Hold { get; set; }

    public void Reset(Func<int, string, bool>? failAfter = null)
    {
        writes = 0;
        FailAfter = failAfter;
        Hold = null;
    }

    public Task AtAsync(string step) => Hold?.Invoke(step) ?? Task.CompletedTask;

    public Task AfterWriteAsync(string step)
    {
        var count = Interlocked.Increment(ref writes);
        return FailAfter?.Invoke(count, step) == true ? Task.FromException(new InjectedFaultException(step)) : Task.CompletedTask;
    }
}
