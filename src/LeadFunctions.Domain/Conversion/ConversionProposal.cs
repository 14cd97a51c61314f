using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Conversion;

/// <summary>
/// What a conversion dialog shows first (SPEC 4.3): the action, the records a merge would take,
/// the customer choice and the assignment.
/// </summary>
/// <param name="Action">Merge when <paramref name="Duplicates"/> is not empty, else convert.</param>
/// <param name="Duplicates">The similar records a merge would take (the default mergeWith), in the order given.</param>
/// <param name="Customer">The customer mode, with the suggested customer's id when the mode is link.</param>
/// <param name="UserId">The lead's salesperson.</param>
/// <param name="TeamId">The lead's team.</param>
public sealed record ConversionProposal(
    ConversionAction Action,
    IReadOnlyList<SimilarRecord> Duplicates,
    CustomerChoice Customer,
    string? UserId,
    string? TeamId);

/// <summary>A customer mode and, for <see cref="CustomerMode.Link"/>, the customer to link.</summary>
public sealed record CustomerChoice(CustomerMode Mode, string? CustomerId = null)
{
    public static CustomerChoice Create { get; } = new(CustomerMode.Create);

    public static CustomerChoice None { get; } = new(CustomerMode.None);

    public static CustomerChoice Link(string customerId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        return new(CustomerMode.Link, customerId);
    }
}
