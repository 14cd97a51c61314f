namespace LeadFunctions.Infrastructure.Capture;

/// <summary>Settings of the public capture endpoint (configuration section "Capture").</summary>
public sealed class CaptureOptions
{
    /// <summary>Browser origins allowed to post (CORS and _redirect targets); none by default.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>Captures allowed per client IP per minute, across all instances.</summary>
    public int RateLimitPerMinute { get; set; } = 30;

    /// <summary>
    /// The request header the platform's front end sets to the caller's address (App Service:
    /// X-Client-IP; behind Front Door: X-Azure-SocketIP). Empty: the connection's address. Unset,
    /// it is X-Client-IP on Azure (WEBSITE_INSTANCE_ID set) and empty elsewhere.
    /// </summary>
    public string? ClientAddressHeader { get; set; }

    /// <summary>Largest accepted body.</summary>
    public int MaxBodyBytes { get; set; } = 32 * 1024;

    /// <summary>The same contact with the same content within this window is a repeat.</summary>
    public TimeSpan RepeatWindow { get; set; } = TimeSpan.FromMinutes(10);
}
