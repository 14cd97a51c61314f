using LeadFunctions.Domain.Events;
using LeadFunctions.Domain.Leads;
using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Webhooks;

/// <summary>What a subscription must be: a well-formed address (its resolution is checked where DNS is), known event types.</summary>
public static class WebhookRules
{
    /// <summary>The event type that stands for every type, present and future.</summary>
    public const string AllEvents = "*";

    /// <summary>The ping <c>POST /webhooks/{id}/test</c> sends; never sent otherwise.</summary>
    public const string PingType = LeadEventTypes.Prefix + "webhook.ping";

    public static ValidationErrors Check(Webhook webhook, bool allowInsecureLocal)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(webhook.Url))
        {
            errors.Add("url", "This field is required.");
        }
        else if (WebhookAddresses.ShapeProblem(webhook.Url, allowInsecureLocal, out _) is { } problem)
        {
            errors.Add("url", problem);
        }
        if (webhook.Events.Count == 0)
        {
            errors.Add("events", $"Name at least one event type, or \"{AllEvents}\" for all of them.");
        }
        else if (webhook.Events.Count > LeadEventTypes.All.Count)
        {
            errors.Add("events", $"At most {LeadEventTypes.All.Count} event types.");
        }
        else
        {
            // A JSON null in the list arrives as a null element: the annotation does not stop it.
            foreach (var type in webhook.Events.Where(t => Normalize(t) is null))
            {
                var shown = type is null ? "null" : $"'{(type.Length > 60 ? type[..60] + "…" : type)}'";
                errors.Add("events", $"{shown} is not an event type; give one of: {AllEvents}, {string.Join(", ", LeadEventTypes.All)}.");
            }
        }
        if (webhook.Description is { } description && (description.Length > LeadValidator.MaxTextLength || description.Any(char.IsControl)))
        {
            errors.Add("description", $"At most {LeadValidator.MaxTextLength} characters, without control characters.");
        }
        return errors;
    }

    /// <summary>The full type of a name as given ("lead.created" or "com.leadfunctions.lead.created"), or null when unknown or null.</summary>
    public static string? Normalize(string? type)
    {
        if (type is null)
        {
            return null;
        }
        if (type == AllEvents)
        {
            return type;
        }
        var full = type.StartsWith(LeadEventTypes.Prefix, StringComparison.Ordinal) ? type : LeadEventTypes.Prefix + type;
        return LeadEventTypes.All.Contains(full, StringComparer.Ordinal) ? full : null;
    }

    /// <summary>The subscription, once checked, with its types written in full and each once.</summary>
    public static void Normalize(Webhook webhook) =>
        webhook.Events = [.. webhook.Events.Select(t => Normalize(t)!).Distinct(StringComparer.Ordinal)];

    public static bool Wants(Webhook webhook, string type) =>
        webhook.Active && (webhook.Events.Contains(AllEvents, StringComparer.Ordinal) || webhook.Events.Contains(type, StringComparer.Ordinal));
}
