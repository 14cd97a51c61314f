namespace LeadFunctions.Functions.Features.Leads;

/// <summary>Settings of records (configuration section "Leads").</summary>
public sealed class LeadsOptions
{
    /// <summary>Region for phone numbers written without a country code (ISO 3166 alpha-2).</summary>
    public string DefaultPhoneRegion { get; set; } = "US";

    /// <summary>
    /// Rows one page of <c>GET /leads</c> with filters combined may read: what bounds one
    /// request's work when the filters match rarely (the page then comes back short, with a token).
    /// </summary>
    public int ListPageReadLimit { get; set; } = Infrastructure.Leads.LeadList.DefaultPageReadLimit;
}
