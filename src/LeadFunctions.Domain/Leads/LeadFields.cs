using System.Collections.Immutable;

namespace LeadFunctions.Domain.Leads;

/// <summary>How the record's fields (as the API names them) take part in changes.</summary>
public static class LeadFields
{
    /// <summary>
    /// The order the record writes its fields in, and its input and a customer (made from a record) the
    /// ones they have: they share their text fields through base classes, whose properties
    /// System.Text.Json would write last, so <see cref="JsonDefaults"/> orders them by this list.
    /// </summary>
    public static ImmutableArray<string> Order { get; } =
    [
        "id", "type", "status", "kind", "name", "companyId", "contactName", "email", "phone", "companyName", "website",
        "street", "city", "zip", "state", "country", "description", "tags", "priority", "expectedRevenue", "probability",
        "userId", "teamId", "customerId", "source", "medium", "campaign", "lostReason",
        "createdAt", "updatedAt", "convertedAt", "wonAt", "mergedInto", "duplicateCheck",
        "emailOptOut", "phoneOptOut", "doNotContact", "firstTouch", "lastTouch",
        "assignment", "assignedAt", "firstResponseAt", "version",
    ];

    /// <summary>Fields whose change may change the record's similar records: a change re-checks it (the country reads its phone).</summary>
    public static IReadOnlyList<string> Keys { get; } = ["email", "phone", "customerId", "country"];

    /// <summary>Fields copied onto the other side's similar-record item: a change refreshes those items.</summary>
    public static IReadOnlyList<string> Shown { get; } = ["name", "contactName", "companyName"];

    /// <summary>Fields PATCH may not change: the server owns them, or they change through their own route.</summary>
    public static IReadOnlyList<string> ReadOnly { get; } =
    [
        "id", "type", "status", "createdAt", "updatedAt", "convertedAt", "mergedInto", "duplicateCheck", "version", "lostReason",
        "assignment", "assignedAt", "firstResponseAt", "firstTouch", "lastTouch",
    ];
}
