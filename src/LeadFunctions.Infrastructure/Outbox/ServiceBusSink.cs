using Azure.Messaging;
using Azure.Messaging.ServiceBus;

namespace LeadFunctions.Infrastructure.Outbox;

/// <summary>
/// The Service Bus topic: each event in the CloudEvents AMQP binary mode (the data as the body, the
/// attributes as <c>cloudEvents:</c> application properties), with MessageId = event id so that the
/// topic's duplicate detection drops a redelivery. Thin mode sends an empty body, the attributes
/// (<c>dataref</c> among them) saying which record to read.
/// </summary>
public sealed class ServiceBusSink(ServiceBusSender sender, EventPayload payload) : IEventSink
{
    /// <summary>Standard tier messages hold 256 KB; above this the event goes without its data.</summary>
    public const int MaxBodyBytes = 192 * 1024;

    public string Name => "service bus";

    public async Task SendAsync(IReadOnlyList<OutboxEvent> events, CancellationToken ct)
    {
        var messages = events.Select(e => ToMessage(EventEnvelope.Parse(e.Json), payload)).ToList();
        // In one call when they fit one batch (the usual few events of one change), in order.
        using var batch = await sender.CreateMessageBatchAsync(ct);
        if (messages.All(batch.TryAddMessage))
        {
            await sender.SendMessagesAsync(batch, ct);
            return;
        }
        foreach (var message in messages)
        {
            await sender.SendMessageAsync(message, ct);
        }
    }

    public static ServiceBusMessage ToMessage(CloudEvent cloudEvent, EventPayload payload)
    {
        cloudEvent = EventEnvelope.ForSink(cloudEvent, payload, cloudEvent.Data is not { } data || data.ToMemory().Length <= MaxBodyBytes);
        var message = new ServiceBusMessage(cloudEvent.Data ?? BinaryData.Empty)
        {
            MessageId = cloudEvent.Id,
            Subject = cloudEvent.Type,
            ContentType = cloudEvent.DataContentType,
        };
        var properties = message.ApplicationProperties;
        properties["cloudEvents:specversion"] = "1.0";
        properties["cloudEvents:id"] = cloudEvent.Id;
        properties["cloudEvents:source"] = cloudEvent.Source;
        properties["cloudEvents:type"] = cloudEvent.Type;
        if (cloudEvent.Subject is { } subject)
        {
            properties["cloudEvents:subject"] = subject;
        }
        if (cloudEvent.Time is { } time)
        {
            properties["cloudEvents:time"] = time.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        }
        if (cloudEvent.DataContentType is { } contentType)
        {
            properties["cloudEvents:datacontenttype"] = contentType;
        }
        foreach (var (name, value) in cloudEvent.ExtensionAttributes)
        {
            properties["cloudEvents:" + name] = value;
        }
        return message;
    }
}
