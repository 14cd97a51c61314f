using System.Text.Json;
using LeadFunctions.Domain;
using LeadFunctions.Infrastructure.Outbox;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.Azure.Functions.Worker;

namespace LeadFunctions.Functions.Features.Events;

/// <summary>Integration events (SPEC 6): the dispatcher of one record's outbox, and the timer sweep behind it.</summary>
public sealed class EventsFunctions(OutboxDispatcher dispatcher, OutboxSweep sweep)
{
    /// <summary>The app setting holding the sweep's NCRONTAB schedule (default every 5 minutes).</summary>
    public const string SweepScheduleSetting = "Events:SweepSchedule";

    [Function("DispatchEvents")]
    public Task Dispatch(
        [QueueTrigger(StorageNames.OutboxQueue, Connection = ServiceCollectionExtensions.StorageSetting)] string message,
        CancellationToken ct)
    {
        var parsed = JsonSerializer.Deserialize<OutboxMessage>(message, JsonDefaults.Options);
        return parsed is null || !Ids.IsWellFormed(parsed.LeadId)
            ? throw new InvalidDataException("The outbox message names no record.")
            : dispatcher.DispatchAsync(parsed.LeadId, ct);
    }

    [Function("SweepOutbox")]
    public Task Sweep([TimerTrigger("%" + SweepScheduleSetting + "%")] TimerInfo timer, CancellationToken ct) => sweep.RunAsync(ct);
}
