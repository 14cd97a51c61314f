using LeadFunctions.Domain.Conversion;
using LeadFunctions.Domain.Model;

namespace LeadFunctions.Functions.Features.Conversion;

/// <summary>POST /leads/{id}/convert. Anything left out takes the conversion defaults.</summary>
public sealed record ConvertRequest(ConversionAction? Action, List<string>? MergeWith, CustomerRequest? Customer, string? UserId, string? TeamId);

public sealed record CustomerRequest(CustomerMode? Mode, string? CustomerId);

/// <summary>The converted record, the customer it is linked to, and the merge done first (if any).</summary>
public sealed record ConversionResult(Lead Lead, Customer? Customer, string? MergeId);

/// <summary>POST /conversions.</summary>
public sealed record BulkConvertRequest(
    List<string>? LeadIds, List<string>? UserIds, string? TeamId, bool? ForceAssignment, bool? Deduplicate, BulkCustomerMode? CustomerMode);

/// <summary>One lead's outcome in a bulk conversion: status is "converted" or "failed".</summary>
public sealed record BulkConvertResult(string LeadId, string Status, string? OpportunityId = null, string? Error = null);

/// <summary>POST /conversions.</summary>
public sealed record BulkConvertResponse(IReadOnlyList<BulkConvertResult> Results);
