namespace LeadFunctions.Storage;

/// <summary>A fault injected after a storage write, standing for a process that dies there.</summary>
public sealed class InjectedFaultException(string step) : Exception($"Fault injected after '{step}'.");

/// <summary>
/// The seam that tests use to kill a merge, an undo or a conversion right after any one of its storage writes.
/// In production nothing is set and every call is a no-op.
/// </summary>
public sealed class WriteFaults
{
    private int writes;

    /// <summary>Called with the running count of writes and the step's name; true kills the operation there.</summary>
    public Func<int, string, bool>? FailAfter { get; set; }

    /// <summary>Writes seen since the last reset.</summary>
    public int Writes => writes;

    public void Reset(Func<int, string, bool>? failAfter = null)
    {
        writes = 0;
        FailAfter = failAfter;
    }

    public Task AfterWriteAsync(string step)
    {
        var count = Interlocked.Increment(ref writes);
        return FailAfter?.Invoke(count, step) == true ? Task.FromException(new InjectedFaultException(step)) : Task.CompletedTask;
    }
}
