using Microsoft.Azure.Functions.Worker;

namespace LeadFunctions.Functions.Features.Retention;

/// <summary>The clean-up of SPEC 4.7: expired rows removed on a schedule, so the tables do not grow forever.</summary>
public sealed class CleanupFunction(CleanupService cleanup)
{
    /// <summary>The app setting holding the clean-up's NCRONTAB schedule (default hourly).</summary>
    public const string ScheduleSetting = "Retention:Schedule";

    [Function("CleanUp")]
    public Task Run([TimerTrigger("%" + ScheduleSetting + "%")] TimerInfo timer, CancellationToken ct) => cleanup.RunAsync(ct);
}
