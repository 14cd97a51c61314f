using System.Collections.Concurrent;
using LeadFunctions.Functions.Features.Ingest;
using Microsoft.Extensions.Logging;

namespace LeadFunctions.Benchmarks;

/// <summary>
/// When each record's own check finished (the IngestProcessor's Checked event), read from the
/// host's logs: capture → done latency without polling the records (which would load Azurite).
/// </summary>
public sealed class CheckedLog : ILoggerProvider, ILogger
{
    /// <summary>The check's log category, whose Information level the benchmark turns on (it moves with the class).</summary>
    public static readonly string Category = typeof(IngestProcessor).FullName!;

    private readonly ConcurrentDictionary<string, DateTimeOffset> first = new(StringComparer.Ordinal);

    public DateTimeOffset? FirstCheckedAt(string leadId) => first.TryGetValue(leadId, out var at) ? at : null;

    public int Count => first.Count;

    public ILogger CreateLogger(string categoryName) => categoryName == Category ? this : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (eventId.Id == IngestProcessor.Checked.Id && state is IReadOnlyList<KeyValuePair<string, object?>> values
            && values.FirstOrDefault(v => v.Key == "LeadId").Value is string id)
        {
            first.TryAdd(id, DateTimeOffset.UtcNow);
        }
    }

    public void Dispose()
    {
    }
}
