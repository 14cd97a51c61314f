namespace LeadFunctions.Functions.Tests.Configuration;

/// <summary>
/// Tests that set environment variables of the whole test process (managed identity endpoint,
/// telemetry switches) run alone and put the old values back.
/// </summary>
[CollectionDefinition(nameof(ProcessEnvironment), DisableParallelization = true)]
public sealed class ProcessEnvironment : IDisposable
{
    private readonly (string Name, string? Value)[] previous;

    private ProcessEnvironment((string Name, string? Value)[] previous) => this.previous = previous;

    public static ProcessEnvironment Set(params (string Name, string? Value)[] variables)
    {
        var previous = variables.Select(v => (v.Name, Environment.GetEnvironmentVariable(v.Name))).ToArray();
        foreach (var (name, value) in variables)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
        return new ProcessEnvironment(previous);
    }

    public void Dispose()
    {
        foreach (var (name, value) in previous)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
