using System.Globalization;

namespace LeadFunctions.Domain.Matching;

/// <summary>
/// The phone region a record's <c>country</c> names: a two- or three-letter ISO 3166 code or a
/// country's name in English or in its own languages ("BE", "BEL", "Belgium", "België",
/// "Belgique"), compared folded. Unknown text names no region.
/// </summary>
public static class Regions
{
    private static readonly Lazy<Dictionary<string, string>> ByName = new(Build);

    public static string? Of(string? country)
    {
        var folded = NameFolding.Fold(country);
        return folded is not null && ByName.Value.TryGetValue(folded, out var region) ? region : null;
    }

    private static Dictionary<string, string> Build()
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string? name, string region)
        {
            if (NameFolding.Fold(name) is { } folded)
            {
                names.TryAdd(folded, region);
            }
        }

        foreach (var culture in CultureInfo.GetCultures(CultureTypes.SpecificCultures))
        {
            RegionInfo region;
            try
            {
                region = new RegionInfo(culture.Name);
            }
            catch (ArgumentException)
            {
                continue;
            }
            var code = region.TwoLetterISORegionName.ToUpperInvariant();
            if (!PhoneNumbers.IsSupportedRegion(code))
            {
                continue;
            }
            Add(code, code);
            Add(region.ThreeLetterISORegionName, code);
            Add(region.EnglishName, code);
            Add(region.NativeName, code);
        }
        // Names people write that the cultures do not spell out.
        foreach (var (name, code) in new[] { ("USA", "US"), ("United States of America", "US"), ("UK", "GB"), ("Great Britain", "GB"), ("England", "GB"), ("Holland", "NL") })
        {
            Add(name, code);
        }
        return names;
    }
}
