using System.Reflection;
using LeadFunctions.LocalHost.Metadata;
using Microsoft.Azure.Functions.Worker;
using NCrontab;

namespace LeadFunctions.LocalHost.Timers;

/// <summary>
/// Runs one timerTrigger function as the Azure host does: an NCRONTAB schedule (six fields with
/// seconds, or five), evaluated in UTC, a %setting% resolved from configuration at start,
/// runOnStartup, and never two runs of the function at once (a run that outlasts its period
/// skips the occurrences it covered).
/// </summary>
internal sealed class TimerFunctionListener : BackgroundService
{
    private const string Accepted = "the trigger as TimerInfo; CancellationToken; ILogger";

    private readonly FunctionDescriptor function;
    private readonly CrontabSchedule schedule;
    private readonly IServiceScopeFactory scopes;
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private readonly FunctionMethodInvoker invoker;
    private readonly Func<TimerInfo, CancellationToken, object?>[] binders;

    public TimerFunctionListener(FunctionDescriptor function, CrontabSchedule schedule, IServiceScopeFactory scopes, ILoggerFactory loggerFactory, TimeProvider clock)
    {
        this.function = function;
        this.schedule = schedule;
        this.scopes = scopes;
        this.clock = clock;
        logger = loggerFactory.CreateLogger($"Function.{function.Name}");
        invoker = new FunctionMethodInvoker(function);
        binders = function.Method.GetParameters().Select(CreateBinder).ToArray();
    }

    /// <summary>The function's schedule, its %setting% resolved.</summary>
    /// <exception cref="InvalidOperationException">The schedule or its setting is missing or no NCRONTAB expression, naming both.</exception>
    public static CrontabSchedule Schedule(FunctionDescriptor function, IConfiguration configuration)
    {
        var written = function.Timer!.Schedule;
        var expression = written;
        if (written.Length > 2 && written.StartsWith('%') && written.EndsWith('%'))
        {
            var setting = written[1..^1];
            expression = configuration[setting];
            if (string.IsNullOrWhiteSpace(expression))
            {
                throw new InvalidOperationException($"Function {function.Name}: its schedule '{written}' names the app setting {setting}, which is not set.");
            }
        }
        var schedule = CrontabSchedule.TryParse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true })
            ?? CrontabSchedule.TryParse(expression);
        return schedule ?? throw new InvalidOperationException(
            $"Function {function.Name}: the schedule '{expression}'{(expression == written ? "" : $" (from {written})")} is not an NCRONTAB expression such as '0 */5 * * * *'.");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DateTime? last = null;
        var previous = DateTime.MinValue;
        if (function.Timer!.RunOnStartup)
        {
            last = await RunAsync(last, pastDue: false, stoppingToken);
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            // From the occurrence just run, not only from now: a delay that wakes a hair early must
            // not make a quick run take the same occurrence twice.
            var now = clock.GetUtcNow().UtcDateTime;
            var next = schedule.GetNextOccurrence(now > previous ? now : previous);
            previous = next;
            try
            {
                await Task.Delay(next - now, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            // Late by more than a period (a slow run or a sleeping machine): the host calls it past due.
            var pastDue = schedule.GetNextOccurrence(next) < clock.GetUtcNow().UtcDateTime;
            last = await RunAsync(last, pastDue, stoppingToken);
        }
    }

    private async Task<DateTime> RunAsync(DateTime? last, bool pastDue, CancellationToken stoppingToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var info = new TimerInfo
        {
            IsPastDue = pastDue,
            ScheduleStatus = new ScheduleStatus { Last = last ?? default, Next = schedule.GetNextOccurrence(now), LastUpdated = now },
        };
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await invoker.InvokeAsync(scope.ServiceProvider, binders.Select(b => b(info, stoppingToken)).ToArray());
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // As on Azure: a failed run is logged and the schedule goes on.
            logger.LogError(ex, "Function {Function} failed on its timer.", function.Name);
        }
        return now;
    }

    private Func<TimerInfo, CancellationToken, object?> CreateBinder(ParameterInfo parameter)
    {
        FunctionParameters.RejectFunctionContext(function, parameter);
        var type = parameter.ParameterType;
        if (parameter.Name == function.Timer!.ParameterName)
        {
            return type == typeof(TimerInfo) ? (info, _) => info : throw FunctionParameters.Unsupported(function, parameter, Accepted);
        }
        if (type == typeof(CancellationToken))
        {
            return (_, ct) => ct;
        }
        if (type == typeof(ILogger))
        {
            return (_, _) => logger;
        }
        throw FunctionParameters.Unsupported(function, parameter, Accepted);
    }
}
