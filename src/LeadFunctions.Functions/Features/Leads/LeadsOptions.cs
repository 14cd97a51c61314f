namespace LeadFunctions.Functions.Features.Leads;

/// <summary>Settings of records (configuration section "Leads").</summary>
public sealed class LeadsOptions
{
    /// <summary>Region for phone numbers written without a country code (ISO 3166 alpha-2).</summary>
    public string DefaultPhoneRegion { get; set; } = "US";
}
