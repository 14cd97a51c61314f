namespace LeadFunctions.Functions.Features.Merges;

/// <summary>Settings of merges (configuration section "Merges").</summary>
public sealed class MergeSettings
{
    /// <summary>
    /// A merge still pending after this long is taken as dead (its process stopped before the
    /// commit point) and is rolled back by whoever meets one of its records next.
    /// </summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromSeconds(30);
}
