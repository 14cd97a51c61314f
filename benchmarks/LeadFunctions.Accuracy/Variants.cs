using Bogus;
using PhoneNumbers;

namespace LeadFunctions.Accuracy;

/// <summary>A cluster's first record, and its later records as forms vary them.</summary>
public static class Variants
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    public static LabelledRecord First(World world, Person person, int cluster, bool gmailFirst)
    {
        var random = world.Random;
        var email = gmailFirst ? person.PersonalEmail : person.WorkEmail ?? person.PersonalEmail;
        var style = random.Int(0, 99) < 65 ? random.ArrayElement(new[] { 0, 1 }) : random.ArrayElement(new[] { 2, 3, 4 });
        var phone = person.Phone is null ? null : World.Format(person.Phone, style);
        var company = person.Company is not null && random.Int(0, 99) < 90 ? person.Company.Name : null;
        return new LabelledRecord(0, cluster, $"{person.First} {person.Last}", email, phone, company, Country(random, person.Locale, World.IsNational(style) && phone is not null), []);
    }

    /// <summary>The country field as people fill it: a code, a name, or nothing when the phone does not need it.</summary>
    public static string? Country(Randomizer random, Locale locale, bool needed) => random.Int(0, 99) switch
    {
        < 45 => locale.Region,
        < 75 => locale.CountryName,
        _ => needed ? locale.CountryName : null,
    };

    public static LabelledRecord Of(World world, Person person, LabelledRecord first, List<Variation> plan, int cluster)
    {
        var random = world.Random;
        var applied = new List<Variation>();
        var email = Email(world, person, first, plan[0], applied);
        var keepPhone = person.Phone is not null && (plan.Any(IsPhone) || email is null || random.Int(0, 99) < 70);
        var keepCompany = person.Company is not null && (plan.Any(IsCompany) || random.Int(0, 99) < 80);
        if (!Linked(applied[0]) && !keepPhone && !keepCompany)
        {
            // A later record with a new address and nothing else in common would be a stranger to
            // anyone: real ones carry the company or a phone.
            (keepCompany, keepPhone) = person.Company is not null ? (true, false) : (false, person.Phone is not null);
        }
        var (given, family) = (person.First, person.Last);
        var nameStyle = 0;
        foreach (var variation in plan.Skip(1).Order())
        {
            switch (variation)
            {
                case Variation.Nickname when Nickname(random, given) is { } nick:
                    given = nick;
                    break;
                case Variation.Accents when Spelling.HasAccents(given + family):
                    (given, family) = (Spelling.StripAccents(given), Spelling.StripAccents(family));
                    break;
                case Variation.Typo when Typed(random, given, family) is { } typed:
                    (given, family) = typed;
                    break;
                case Variation.Initial when !applied.Contains(Variation.Nickname):
                    given = given[..1] + (random.Bool() ? "." : "");
                    break;
                case Variation.SwappedNames:
                    nameStyle = random.Bool() ? 1 : 2;
                    break;
                default:
                    continue;
            }
            applied.Add(variation);
        }
        var contact = nameStyle switch { 1 => $"{family} {given}", 2 => $"{family}, {given}", _ => $"{given} {family}" };
        if (applied.Contains(Variation.Case))
        {
            contact = random.Bool() ? contact.ToUpperInvariant() : contact.ToLowerInvariant();
        }

        string? company = null;
        if (keepCompany)
        {
            company = person.Company!.Name;
            if (plan.Contains(Variation.CompanyAbbreviation) && Abbreviated(company) is { } shorter)
            {
                company = shorter;
                applied.Add(Variation.CompanyAbbreviation);
            }
            if (plan.Contains(Variation.CompanySuffix))
            {
                company = OtherLegalForm(random, company, person.Locale);
                applied.Add(Variation.CompanySuffix);
            }
            if (applied.Contains(Variation.Case))
            {
                company = company.ToUpperInvariant();
            }
        }

        string? phone = null;
        var national = false;
        if (keepPhone)
        {
            var firstStyle = first.Phone is null ? 1 : Enumerable.Range(0, 5).FirstOrDefault(s => World.Format(person.Phone!, s) == first.Phone);
            var style = firstStyle;
            var number = person.Phone!;
            if (plan.Contains(Variation.PhoneTransposition) && Transposed(random, number) is { } swapped)
            {
                number = swapped;
                applied.Add(Variation.PhoneTransposition);
            }
            var nationals = Enumerable.Range(2, 3).Where(s => World.IsNational(s) && World.Format(number, s) != World.Format(number, firstStyle)).ToArray();
            if (plan.Contains(Variation.PhoneCountryPrefix) && !World.IsNational(firstStyle) && nationals.Length > 0)
            {
                style = random.ArrayElement(nationals);
                applied.Add(Variation.PhoneCountryPrefix);
            }
            else if (plan.Contains(Variation.PhoneFormat))
            {
                style = random.ArrayElement(Enumerable.Range(0, 5).Where(s => World.Format(number, s) != World.Format(number, firstStyle)).ToArray());
                applied.Add(Variation.PhoneFormat);
            }
            phone = World.Format(number, style);
            national = World.IsNational(style);
        }
        var country = applied.Contains(Variation.PhoneCountryPrefix) ? person.Locale.CountryName
            : random.Int(0, 99) < 70 && (first.Country is not null || !national) ? first.Country
            : Country(random, person.Locale, national);
        return new LabelledRecord(0, cluster, contact, email, phone, company, country, applied);
    }

    /// <summary>Whether the email still leads to the first record's (the same mailbox, or one at the same company domain).</summary>
    private static bool Linked(Variation emailVariation) =>
        emailVariation is Variation.SameEmail or Variation.Case or Variation.GmailDots or Variation.NewEmailSameCompany;

    private static bool IsPhone(Variation v) => v is Variation.PhoneFormat or Variation.PhoneCountryPrefix or Variation.PhoneTransposition;

    private static bool IsCompany(Variation v) => v is Variation.CompanySuffix or Variation.CompanyAbbreviation;

    /// <summary>The later record's email for its email variation; a variation the person cannot have falls back to one they can, and <paramref name="applied"/> says which.</summary>
    private static string? Email(World world, Person person, LabelledRecord first, Variation wanted, List<Variation> applied)
    {
        var random = world.Random;
        var at = first.Email!.IndexOf('@', StringComparison.Ordinal);
        var (local, domain) = (first.Email[..at], first.Email[(at + 1)..]);
        var company = person.Company;
        switch (wanted)
        {
            case Variation.Case:
                applied.Add(wanted);
                return random.Bool() ? first.Email.ToUpperInvariant() : char.ToUpperInvariant(local[0]) + local[1..] + "@" + domain.ToUpperInvariant();
            case Variation.GmailDots when domain == "gmail.com":
                applied.Add(wanted);
                var bare = local.Replace(".", "", StringComparison.Ordinal);
                var dotted = bare.Length > 3 && random.Bool() ? bare.Insert(random.Int(1, bare.Length - 1), ".") : bare;
                var written = dotted + (random.Bool() ? "+" + random.ArrayElement(new[] { "news", "crm", "work", "promo" }) : "") + "@" + (random.Int(0, 9) < 2 ? "googlemail.com" : "gmail.com");
                // Dots moved back where they were would be the same address, not this variation.
                return written == first.Email ? $"{bare}+news@gmail.com" : written;
            case Variation.NewEmailSameCompany when company is not null && domain == company.Domain:
                applied.Add(wanted);
                var pattern = (company.Pattern + random.Int(1, 3)) % 4;
                return world.UniqueEmail(World.WorkLocal(person.First, person.Last, pattern), company.Domain);
            case Variation.DomainHyphen when company?.OtherDomain is not null && domain == company.Domain:
                applied.Add(wanted);
                return $"{local}@{company.OtherDomain}";
            case Variation.PersonalEmail when person.WorkEmail is not null && first.Email != person.PersonalEmail:
                applied.Add(wanted);
                return person.PersonalEmail;
            case Variation.NoEmail when person.Phone is not null || company is not null:
                applied.Add(wanted);
                return null;
            default:
                applied.Add(Variation.SameEmail);
                return first.Email;
        }
    }

    /// <summary>The name with one typo, in the last name more often than the first; null when neither can take one.</summary>
    private static (string Given, string Family)? Typed(Randomizer random, string given, string family) =>
        random.Int(0, 99) < 60
            ? Spelling.Typo(family, random) is { } f ? (given, f) : Spelling.Typo(given, random) is { } g ? (g, family) : null
            : Spelling.Typo(given, random) is { } g2 ? (g2, family) : Spelling.Typo(family, random) is { } f2 ? (given, f2) : null;

    private static string? Nickname(Randomizer random, string given)
    {
        if (Spelling.Nicknames.TryGetValue(given, out var nicks))
        {
            return random.ArrayElement(nicks);
        }
        var formal = Spelling.Nicknames.FirstOrDefault(n => n.Value.Contains(given, StringComparer.Ordinal)).Key;
        return formal;
    }

    /// <summary>The company name written shorter or punctuated otherwise; null when it has nothing to shorten.</summary>
    public static string? Abbreviated(string company)
    {
        foreach (var (from, to) in new[] { (" and ", " & "), (" und ", " & "), (" et ", " & "), (" y ", " & "), (" & ", " and "), (" - ", " "), ("-", " "),
                     (", ", " "), ("Corporation", "Corp."), ("Company", "Co."), ("International", "Intl"), ("Group", "Grp") })
        {
            if (company.Contains(from, StringComparison.Ordinal))
            {
                return company.Replace(from, to, StringComparison.Ordinal);
            }
        }
        return null;
    }

    /// <summary>The company name with its legal form dropped, or one added when it had none.</summary>
    public static string OtherLegalForm(Randomizer random, string company, Locale locale)
    {
        foreach (var form in World.Locales.SelectMany(l => l.LegalForms).Append("LLC").Append("Inc").Distinct())
        {
            var bare = form.TrimEnd('.');
            foreach (var written in new[] { " " + form, " " + bare, ", " + form, ", " + bare })
            {
                if (company.EndsWith(written, StringComparison.Ordinal))
                {
                    return company[..^written.Length];
                }
            }
        }
        return $"{company} {random.ArrayElement(locale.LegalForms)}";
    }

    /// <summary>
    /// The number with two neighbouring digits swapped anywhere past its first (the detector's key
    /// for swaps covers the last six: a swap before them is a miss it should pay for); null when
    /// no two neighbours differ.
    /// </summary>
    private static PhoneNumber? Transposed(Randomizer random, PhoneNumber number)
    {
        var digits = Util.GetNationalSignificantNumber(number).ToCharArray();
        var places = Enumerable.Range(1, digits.Length - 2).Where(i => digits[i] != digits[i + 1]).ToList();
        if (places.Count == 0)
        {
            return null;
        }
        var at = random.ListItem(places);
        (digits[at], digits[at + 1]) = (digits[at + 1], digits[at]);
        return Util.Parse("+" + number.CountryCode + new string(digits), "ZZ");
    }
}
