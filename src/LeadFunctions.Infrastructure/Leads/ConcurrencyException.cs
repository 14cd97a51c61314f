namespace LeadFunctions.Infrastructure.Leads;

/// <summary>The record changed since it was read: the caller answers 412 or 409, or retries.</summary>
public sealed class ConcurrencyException(string leadId) : Exception($"Record {leadId} changed while it was being updated.")
{
    public string LeadId { get; } = leadId;
}
