using Bogus;

namespace LeadFunctions.Accuracy;

/// <summary>
/// A seeded, labelled data set of CRM-like records (SPEC 8 Accuracy): clusters of one person's
/// records, the later ones varied as real forms vary them, and hard negatives (namesakes,
/// colleagues, free-mail neighbours, family members sharing a phone) that resemble a cluster and
/// are other people. The same seed and size make the same records.
/// </summary>
public static class LabelledGenerator
{
    /// <summary>How the later records of a cluster reach (or lose) the first one's address.</summary>
    private static readonly (Variation Variation, int Weight)[] EmailVariations =
    [
        (Variation.SameEmail, 35), (Variation.Case, 10), (Variation.GmailDots, 10), (Variation.NewEmailSameCompany, 12),
        (Variation.DomainHyphen, 5), (Variation.PersonalEmail, 16), (Variation.NoEmail, 12),
    ];

    private static readonly Variation[] OtherVariations =
    [
        Variation.Accents, Variation.Nickname, Variation.Initial, Variation.Typo, Variation.SwappedNames, Variation.CompanySuffix,
        Variation.CompanyAbbreviation, Variation.PhoneFormat, Variation.PhoneCountryPrefix, Variation.PhoneTransposition,
    ];

    /// <summary>Hard negatives per 1,000 records, by kind.</summary>
    private static readonly (HardNegative Kind, int PerThousand)[] Negatives =
    [
        (HardNegative.Namesake, 30), (HardNegative.Colleague, 80), (HardNegative.SharedFreeMail, 30), (HardNegative.FamilyPhone, 20),
    ];

    public static IReadOnlyList<LabelledRecord> Generate(int count, int seed = 29)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 10);
        var world = new World(seed);
        var random = world.Random;
        var records = new List<LabelledRecord>(count);
        var firsts = new List<(Person Person, LabelledRecord Record)>();
        var negatives = Negatives.Select(n => (n.Kind, Count: count * n.PerThousand / 1000)).ToList();
        var positives = count - negatives.Sum(n => n.Count);
        var cluster = 0;
        while (records.Count < positives)
        {
            var size = Math.Min(random.Int(0, 99) switch { < 62 => 1, < 82 => 2, < 94 => 3, _ => 4 }, positives - records.Count);
            var plans = Enumerable.Range(1, size - 1).Select(_ => Plan(random)).ToList();
            var person = PersonFor(world, plans);
            var first = Variants.First(world, person, cluster, gmailFirst: plans.Any(p => p.Contains(Variation.GmailDots)));
            records.Add(first);
            firsts.Add((person, first));
            foreach (var plan in plans)
            {
                records.Add(Variants.Of(world, person, first, plan, cluster));
            }
            cluster++;
        }
        foreach (var (kind, howMany) in negatives)
        {
            for (var i = 0; i < howMany; i++)
            {
                records.Add(HardNegatives.Make(world, kind, firsts, cluster++));
            }
        }
        return random.Shuffle(records).Take(count).Select((r, i) => r with { Index = i }).ToList();
    }

    /// <summary>The variations of one later record: one for its email, then none, one or two more.</summary>
    private static List<Variation> Plan(Randomizer random)
    {
        var roll = random.Int(1, EmailVariations.Sum(v => v.Weight));
        var email = EmailVariations.First(v => (roll -= v.Weight) <= 0).Variation;
        var more = random.Int(0, 9) switch { < 3 => 0, < 8 => 1, _ => 2 };
        return [email, .. random.Shuffle(OtherVariations).Take(more)];
    }

    /// <summary>The person a cluster's plans can be made on: a nickname, accents, gmail, a company or a phone where a plan needs one.</summary>
    private static Person PersonFor(World world, List<List<Variation>> plans)
    {
        var wants = plans.SelectMany(p => p).ToHashSet();
        var gmail = wants.Contains(Variation.GmailDots);
        // A gmail user with a work address too makes a GmailDots plan and a company plan compatible.
        var business = wants.Overlaps([Variation.NewEmailSameCompany, Variation.DomainHyphen, Variation.PersonalEmail, Variation.CompanySuffix, Variation.CompanyAbbreviation])
            || (!gmail && world.Random.Int(0, 99) < 65);
        var locale = wants.Contains(Variation.Accents) ? World.Locales[world.Random.Int(2, 5)]
            : wants.Contains(Variation.Nickname) ? World.Locales[world.Random.Int(0, 1)]
            : world.PickLocale();
        Func<string, bool>? wantFirst = wants.Contains(Variation.Nickname) ? Spelling.Nicknames.ContainsKey
            : wants.Contains(Variation.Accents) ? Spelling.HasAccents
            : null;
        var phone = wants.Overlaps([Variation.PhoneFormat, Variation.PhoneCountryPrefix, Variation.PhoneTransposition, Variation.NoEmail]) || world.Random.Int(0, 99) < 55;
        var person = world.NewPerson(locale, business, wantFirst, gmail ? "gmail.com" : null, phone);
        // Accented first names are rarer than plain ones: an accented last name serves as well.
        for (var i = 0; i < 40 && wants.Contains(Variation.Accents) && !Spelling.HasAccents(person.First + person.Last); i++)
        {
            person = world.NewPerson(locale, business, wantFirst, gmail ? "gmail.com" : null, phone);
        }
        return person;
    }
}
