using Microsoft.AspNetCore.DataProtection;

namespace LeadFunctions.Infrastructure.Secrets;

/// <summary>
/// Secrets the app must read back (webhook signing secrets), encrypted at rest with Data
/// Protection. Values stored before encryption (no prefix) are still read as they are.
/// </summary>
public sealed class SecretProtector(IDataProtectionProvider protection, string purpose)
{
    private const string Prefix = "dp1:";
    private readonly IDataProtector protector = protection.CreateProtector(purpose);

    public string Protect(string secret) => Prefix + protector.Protect(secret);

    public string Unprotect(string stored) =>
        stored.StartsWith(Prefix, StringComparison.Ordinal) ? protector.Unprotect(stored[Prefix.Length..]) : stored;
}
