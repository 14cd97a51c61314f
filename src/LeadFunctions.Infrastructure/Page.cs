namespace LeadFunctions.Infrastructure;

// In the project's root namespace so that every adapter finds it before Azure.Page<T>, which
// the files that also use Azure's ETag would otherwise find as well.

/// <summary>A page of a list, with the opaque token that fetches the next one.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? ContinuationToken);
