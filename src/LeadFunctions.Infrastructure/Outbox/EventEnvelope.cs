using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Messaging;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Access;
using LeadFunctions.Domain.Events;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Infrastructure.Outbox;

/// <summary>The CloudEvents 1.0 envelope (Azure.Core's <see cref="CloudEvent"/>) of a change, in JSON as every sink sends it.</summary>
public static class EventEnvelope
{
    /// <summary>The CloudEvents extension that points to the data an event is too large to carry.</summary>
    public const string DataRef = "dataref";

    /// <summary>
    /// The event of one log entry: the record after the change as data, without its version (the
    /// version is the ETag of the very write that stores the event, unknown until it is made), and
    /// the entry's actor beside the record's fields (<see cref="EventActor"/>).
    /// </summary>
    public static CloudEvent Create(string source, string type, Lead lead, LogEntry entry)
    {
        var data = JsonSerializer.SerializeToNode(lead, JsonDefaults.Options)!.AsObject();
        data.Remove("version");
        // Every entry written since actors are recorded has one; the fallback only keeps an event
        // of an older entry (an ingest message's snapshot) from going without.
        var actor = entry.Actor ?? Actor.System;
        data[EventActor.DataMember] = EventActor.ToData(actor);
        var cloudEvent = new CloudEvent(source, type, BinaryData.FromString(data.ToJsonString(JsonRow.StorageOptions)), "application/json", CloudEventDataFormat.Json)
        {
            Id = entry.Id,
            Subject = lead.Id,
            Time = entry.At,
        };
        cloudEvent.ExtensionAttributes[EventActor.Attribute] = EventActor.Format(actor);
        // A merge or undo is told by the survivor alone: which merge, and which records went or came back.
        if (entry.Data?["mergeId"]?.GetValue<string>() is { } mergeId && entry.Kind is LogKind.Merged or LogKind.Unmerged)
        {
            cloudEvent.ExtensionAttributes[MergeIdAttribute] = mergeId;
            var others = entry.Data["mergedIds"] ?? entry.Data["restoredIds"];
            cloudEvent.ExtensionAttributes[OtherIdsAttribute] = string.Join(' ', others?.AsArray().Select(n => n!.GetValue<string>()) ?? []);
        }
        return cloudEvent;
    }

    /// <summary>CloudEvents extension attributes of leads.merged and merge.undone (lower-case letters and digits, as the spec requires).</summary>
    public const string MergeIdAttribute = "mergeid";

    /// <summary>The merged (or restored) record ids, separated by spaces: extension values are strings.</summary>
    public const string OtherIdsAttribute = "recordids";

    /// <summary>
    /// An event with ids only (an erasure's), or any other data given as JSON, with its actor as
    /// the attribute and in <c>data.actor</c>. An erasure's actor is the operator who asked for it,
    /// not the erased person: their name stays, as it is nobody's data that the erasure removes.
    /// </summary>
    public static CloudEvent Create(string source, string type, string subject, string id, DateTimeOffset at, JsonObject data, Actor actor)
    {
        data[EventActor.DataMember] = EventActor.ToData(actor);
        var cloudEvent = new CloudEvent(source, type, BinaryData.FromString(data.ToJsonString(JsonRow.StorageOptions)), "application/json", CloudEventDataFormat.Json)
        {
            Id = id,
            Subject = subject,
            Time = at,
        };
        cloudEvent.ExtensionAttributes[EventActor.Attribute] = EventActor.Format(actor);
        return cloudEvent;
    }

    public static string Serialize(CloudEvent cloudEvent) => JsonSerializer.Serialize(cloudEvent, JsonRow.StorageOptions);

    public static CloudEvent Parse(string json) =>
        CloudEvent.Parse(BinaryData.FromString(json)) ?? throw new InvalidDataException("The stored event is empty.");

    /// <summary>
    /// The same event without its data, pointing to the record instead: what a thin sink sends, and
    /// what any sink sends of an event its messages cannot hold (a storage queue message holds 48
    /// KiB of JSON). The extension attributes stay: a merge's ids tell what happened, the actor who
    /// did it, and none is the personal data of a lead.
    /// </summary>
    public static CloudEvent WithoutData(CloudEvent cloudEvent)
    {
        var slim = new CloudEvent(cloudEvent.Source, cloudEvent.Type, data: null, dataContentType: null)
        {
            Id = cloudEvent.Id,
            Subject = cloudEvent.Subject,
            Time = cloudEvent.Time,
        };
        foreach (var (name, value) in cloudEvent.ExtensionAttributes)
        {
            slim.ExtensionAttributes[name] = value;
        }
        slim.ExtensionAttributes[DataRef] = cloudEvent.Subject is { } subject ? $"/api/leads/{subject}" : "/api";
        return slim;
    }

    /// <summary>The event as a sink sends it: whole in <see cref="EventPayload.Full"/> mode when it fits the sink's messages, else thin.</summary>
    public static CloudEvent ForSink(CloudEvent cloudEvent, EventPayload payload, bool fits) =>
        Whole(payload, fits) ? cloudEvent : WithoutData(cloudEvent);

    /// <summary>The stored event's JSON as a sink sends it; a whole event goes as stored, byte for byte, so a redelivery is the same message.</summary>
    public static string ForSink(string json, EventPayload payload, bool fits) =>
        Whole(payload, fits) ? json : Serialize(WithoutData(Parse(json)));

    private static bool Whole(EventPayload payload, bool fits) => payload == EventPayload.Full && fits;
}
