using LeadFunctions.Domain.Model;

namespace LeadFunctions.Infrastructure.Leads;

/// <summary>
/// The filters of GET /leads (Email normalized). Merged records are listed only when asked for by status.
/// </summary>
public sealed record LeadQuery(LeadType? Type, LeadStatus? Status, string? TeamId, string? UserId, string? Email);
