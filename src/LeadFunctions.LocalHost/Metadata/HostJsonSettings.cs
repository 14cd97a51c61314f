using System.Globalization;
using System.Text.Json;

namespace LeadFunctions.LocalHost.Metadata;

/// <summary>The part of host.json the local host honours, with the Azure host's defaults.</summary>
public sealed record HostJsonSettings
{
    public string RoutePrefix { get; init; } = "api";
    public int MaxDequeueCount { get; init; } = 5;
    public TimeSpan VisibilityTimeout { get; init; } = TimeSpan.Zero;
    public int BatchSize { get; init; } = 16;

    private readonly int? newBatchThreshold;

    /// <summary>The host fetches the next batch once this few messages are still running (Azure's default: half a batch).</summary>
    public int NewBatchThreshold
    {
        get => newBatchThreshold ?? BatchSize / 2;
        init => newBatchThreshold = Math.Max(value, 0);
    }

    public TimeSpan MaxPollingInterval { get; init; } = TimeSpan.FromMinutes(1);
    public bool Base64MessageEncoding { get; init; } = true;

    public static HostJsonSettings Load(string path)
    {
        if (!File.Exists(path))
        {
            return new HostJsonSettings();
        }

        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var defaults = new HostJsonSettings();
        var extensions = Child(document.RootElement, "extensions");
        var http = Child(extensions, "http");
        var queues = Child(extensions, "queues");

        var encoding = String(queues, "messageEncoding") ?? "base64";
        if (!encoding.Equals("base64", StringComparison.OrdinalIgnoreCase) && !encoding.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"host.json: extensions.queues.messageEncoding must be \"base64\" or \"none\", not \"{encoding}\".");
        }

        var settings = new HostJsonSettings
        {
            RoutePrefix = (String(http, "routePrefix") ?? defaults.RoutePrefix).Trim('/'),
            MaxDequeueCount = Int(queues, "maxDequeueCount") ?? defaults.MaxDequeueCount,
            VisibilityTimeout = Duration(queues, "visibilityTimeout") ?? defaults.VisibilityTimeout,
            BatchSize = Math.Clamp(Int(queues, "batchSize") ?? defaults.BatchSize, 1, 32),
            MaxPollingInterval = Duration(queues, "maxPollingInterval") ?? defaults.MaxPollingInterval,
            Base64MessageEncoding = encoding.Equals("base64", StringComparison.OrdinalIgnoreCase),
        };
        return Int(queues, "newBatchThreshold") is { } threshold ? settings with { NewBatchThreshold = threshold } : settings;
    }

    private static JsonElement? Child(JsonElement? element, string name)
    {
        if (element is not { ValueKind: JsonValueKind.Object } obj)
        {
            return null;
        }

        foreach (var property in obj.EnumerateObject())
        {
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    private static string? String(JsonElement? parent, string name) =>
        Child(parent, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static int? Int(JsonElement? parent, string name) => Child(parent, name) switch
    {
        { ValueKind: JsonValueKind.Number } number => number.GetInt32(),
        { ValueKind: JsonValueKind.String } text => int.Parse(text.GetString()!, CultureInfo.InvariantCulture),
        _ => null,
    };

    private static TimeSpan? Duration(JsonElement? parent, string name) =>
        String(parent, name) is { } text ? TimeSpan.Parse(text, CultureInfo.InvariantCulture) : null;
}
