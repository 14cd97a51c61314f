using Bogus;
using PhoneNumbers;

namespace LeadFunctions.Accuracy;

/// <summary>A country the generated people live in: its Bogus locale, phone region, names for the country field and its legal forms.</summary>
public sealed record Locale(string Bogus, string Region, string CountryName, string Tld, string[] LegalForms, string[] FreeMail);

/// <summary>A company: its name as its people write it, its domain and its other domain (hyphen toggled), and its email pattern.</summary>
public sealed record Company(string Name, string Domain, string? OtherDomain, int Pattern, Locale Locale);

/// <summary>A person behind one or more records.</summary>
public sealed record Person(string First, string Last, Locale Locale, Company? Company, string? WorkEmail, string PersonalEmail, PhoneNumber? Phone);

/// <summary>
/// Makes the people, companies, addresses and numbers of one generated data set, each email and
/// phone unique unless a hard negative shares it on purpose.
/// </summary>
public sealed class World(int seed)
{
    public static readonly IReadOnlyList<Locale> Locales =
    [
        new("en_US", "US", "United States", ".com", ["Inc.", "LLC", "Corp."], ["gmail.com", "outlook.com", "yahoo.com", "hotmail.com"]),
        new("en_GB", "GB", "United Kingdom", ".co.uk", ["Ltd", "PLC"], ["gmail.com", "outlook.com", "btinternet.com"]),
        new("de", "DE", "Germany", ".de", ["GmbH", "AG", "KG"], ["gmail.com", "gmx.de", "web.de"]),
        new("fr", "FR", "France", ".fr", ["SARL", "SA", "SAS"], ["gmail.com", "orange.fr", "free.fr"]),
        new("nl", "NL", "Netherlands", ".nl", ["BV", "NV"], ["gmail.com", "ziggo.nl", "hotmail.com"]),
        new("es", "ES", "Spain", ".es", ["SL", "SA"], ["gmail.com", "hotmail.com", "yahoo.es"]),
    ];

    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    public Randomizer Random { get; } = new(seed);

    // One seeded randomizer per locale, derived from the set's seed: the same seed makes the same data on every machine.
    private readonly Dictionary<string, Faker> fakers = Locales.Select((l, i) => (l, i))
        .ToDictionary(x => x.l.Bogus, x => new Faker(x.l.Bogus) { Random = new Randomizer(seed * 31 + x.i + 1) });
    private readonly HashSet<string> emails = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> domains = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> phones = new(StringComparer.Ordinal);

    public Locale PickLocale() => Random.Int(0, 99) switch
    {
        < 40 => Locales[0],
        < 52 => Locales[1],
        < 64 => Locales[2],
        < 76 => Locales[3],
        < 88 => Locales[4],
        _ => Locales[5],
    };

    public Faker Faker(Locale locale) => fakers[locale.Bogus];

    /// <summary>A first name meeting <paramref name="want"/> (a nickname in the tables, accents), else any after a few tries.</summary>
    public string FirstName(Locale locale, Func<string, bool>? want = null)
    {
        for (var i = 0; i < 40; i++)
        {
            var name = Faker(locale).Name.FirstName();
            if (want is null || want(name))
            {
                return name;
            }
        }
        return Faker(locale).Name.FirstName();
    }

    public string LastName(Locale locale) => Faker(locale).Name.LastName();

    public Company NewCompany(Locale locale)
    {
        var name = Faker(locale).Company.CompanyName();
        var words = Spelling.StripAccents(name).Split([' ', ',', '-', '&', '.', '\''], StringSplitOptions.RemoveEmptyEntries)
            .Where(w => !locale.LegalForms.Any(f => f.TrimEnd('.').Equals(w, StringComparison.OrdinalIgnoreCase)))
            .Where(w => w is not ("and" or "und" or "et" or "y" or "en" or "Sons" or "Group" or "Gruppe" or "e"))
            .Select(Spelling.Ascii).Where(w => w.Length > 0).Take(2).ToList();
        var joined = string.Concat(words);
        var hyphened = string.Join('-', words);
        var (domain, other) = words.Count > 1 && Random.Bool() ? (hyphened, joined) : (joined, words.Count > 1 ? hyphened : null);
        var tld = locale.Tld;
        var unique = domain;
        for (var n = 2; !domains.Add(unique + tld); n++)
        {
            unique = domain + n;
            other = other is null ? null : other + n;
        }
        domains.Add(other + tld);
        return new Company(name, unique + tld, other is null ? null : other + tld, Random.Int(0, 3), locale);
    }

    /// <summary>An address nobody else has: a variant of <paramref name="local"/> with digits added until it is free.</summary>
    public string UniqueEmail(string local, string domain)
    {
        var email = $"{local}@{domain}";
        while (!emails.Add(email))
        {
            email = $"{local}{Random.Int(1, 99)}@{domain}";
        }
        return email;
    }

    public static string WorkLocal(string first, string last, int pattern) => pattern switch
    {
        0 => $"{Spelling.Ascii(first)}.{Spelling.Ascii(last)}",
        1 => $"{Spelling.Ascii(first)[..1]}{Spelling.Ascii(last)}",
        2 => $"{Spelling.Ascii(first)}",
        _ => $"{Spelling.Ascii(first)}_{Spelling.Ascii(last)}",
    };

    public string PersonalEmail(string first, string last, Locale locale, string? provider = null)
    {
        var local = Random.Int(0, 2) switch
        {
            0 => $"{Spelling.Ascii(first)}.{Spelling.Ascii(last)}",
            1 => $"{Spelling.Ascii(first)}{Spelling.Ascii(last)}{Random.Int(60, 99)}",
            _ => $"{Spelling.Ascii(first)[..1]}.{Spelling.Ascii(last)}",
        };
        return UniqueEmail(local, provider ?? Random.ArrayElement(locale.FreeMail));
    }

    /// <summary>A valid mobile number of the region that no one else has.</summary>
    public PhoneNumber NewPhone(Locale locale)
    {
        var example = Util.GetExampleNumberForType(locale.Region, PhoneNumberType.MOBILE);
        var national = Util.GetNationalSignificantNumber(example);
        while (true)
        {
            var digits = national[..^6] + Random.Replace("######");
            var number = Util.Parse("+" + example.CountryCode + digits, locale.Region);
            if (Util.IsValidNumber(number) && phones.Add(Util.Format(number, PhoneNumberFormat.E164)))
            {
                return number;
            }
        }
    }

    /// <summary>The number as people write it: E.164, international, national (the country then named in the record), "00" or with slashes.</summary>
    public static string Format(PhoneNumber number, int style) => style switch
    {
        0 => Util.Format(number, PhoneNumberFormat.E164),
        2 => Util.Format(number, PhoneNumberFormat.NATIONAL),
        // North America dials out with 011, not 00.
        3 when number.CountryCode != 1 => "00" + Util.Format(number, PhoneNumberFormat.INTERNATIONAL)[1..],
        1 or 3 => Util.Format(number, PhoneNumberFormat.INTERNATIONAL),
        _ => Util.Format(number, PhoneNumberFormat.NATIONAL).Replace(' ', '/'),
    };

    /// <summary>
    /// Whether the record must name its country for the number to be read right: national forms
    /// leave out the country code, and "00" is the international prefix of most countries, not of all.
    /// </summary>
    public static bool IsNational(int style) => style is 2 or 3 or 4;

    public Person NewPerson(Locale locale, bool business, Func<string, bool>? wantFirst = null, string? provider = null, bool phone = true)
    {
        var first = FirstName(locale, wantFirst);
        var last = LastName(locale);
        var company = business ? NewCompany(locale) : null;
        var work = company is null ? null : UniqueEmail(WorkLocal(first, last, company.Pattern), company.Domain);
        return new Person(first, last, locale, company, work, PersonalEmail(first, last, locale, provider), phone ? NewPhone(locale) : null);
    }
}
