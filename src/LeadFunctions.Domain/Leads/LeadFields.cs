namespace LeadFunctions.Domain.Leads;

/// <summary>How the record's fields (as the API names them) take part in changes.</summary>
public static class LeadFields
{
    /// <summary>Fields whose change may change the record's similar records: a change re-checks it.</summary>
    public static IReadOnlyList<string> Keys { get; } = ["email", "phone", "customerId"];

    /// <summary>Fields copied onto the other side's similar-record item: a change refreshes those items.</summary>
    public static IReadOnlyList<string> Shown { get; } = ["name", "contactName", "companyName"];

    /// <summary>Fields PATCH may not change: the server owns them, or they change through their own route.</summary>
    public static IReadOnlyList<string> ReadOnly { get; } =
    [
        "id", "type", "status", "createdAt", "updatedAt", "convertedAt", "mergedInto", "duplicateCheck", "version", "lostReason",
    ];
}
