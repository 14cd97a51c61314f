using PhoneNumbers;

namespace LeadFunctions.Domain.Matching;

/// <summary>
/// Phone normalization to E.164 (SPEC 4.2) with a configurable default region for numbers written
/// without a country code.
/// </summary>
/// <remarks>
/// A number counts when libphonenumber finds it <em>possible</em> (the right length for its
/// country), not only when it is <em>valid</em> (inside an allocated range): matching needs a stable
/// canonical form, not a dialable line, and test or newly allocated ranges such as 555 numbers
/// must still normalize and match. Local-only forms (seven US digits without an area code) are
/// refused, because their E.164 form would be wrong.
/// </remarks>
public sealed class PhoneNumbers
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    public PhoneNumbers(string defaultRegion)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(defaultRegion);
        var region = defaultRegion.Trim().ToUpperInvariant();
        if (!IsSupportedRegion(region))
        {
            throw new ArgumentException($"'{defaultRegion}' is not a region libphonenumber knows.", nameof(defaultRegion));
        }
        DefaultRegion = region;
    }

    public string DefaultRegion { get; }

    /// <summary>A two-letter region libphonenumber can read numbers for ("US", "BE"), in any case.</summary>
    public static bool IsSupportedRegion(string? region) =>
        region is { Length: 2 } && Util.GetSupportedRegions().Contains(region.ToUpperInvariant());

    /// <summary>The region a number without a country code is read in: the one <paramref name="country"/> names, else the default.</summary>
    public string RegionFor(string? country) => Regions.Of(country) ?? DefaultRegion;

    /// <summary>
    /// The E.164 form ("+14155552671"), or null when the text is not a possible number. A number
    /// without a country code is read in the region <paramref name="country"/> names (the record's
    /// own country), else in the default region.
    /// </summary>
    public string? ToE164(string? raw, string? country = null)
    {
        if (string.IsNullOrWhiteSpace(raw) || raw.Any(char.IsControl))
        {
            return null;
        }
        try
        {
            var number = Util.Parse(raw, RegionFor(country));
            return Util.IsPossibleNumberWithReason(number) == PhoneNumberUtil.ValidationResult.IS_POSSIBLE
                ? Util.Format(number, PhoneNumberFormat.E164)
                : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    public bool IsValid(string? raw, string? country = null) => ToE164(raw, country) is not null;
}
