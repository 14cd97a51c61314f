namespace LeadFunctions.Accuracy;

/// <summary>Records of other people that resemble a cluster's first record in the ways that fool detectors.</summary>
public static class HardNegatives
{
    public static LabelledRecord Make(World world, HardNegative kind, List<(Person Person, LabelledRecord Record)> firsts, int cluster)
    {
        var random = world.Random;
        for (var attempt = 0; ; attempt++)
        {
            var (person, record) = random.ListItem(firsts);
            var locale = person.Locale;
            LabelledRecord? made = kind switch
            {
                HardNegative.Namesake => Namesake(world, person, record),
                HardNegative.Colleague when person.Company is not null && record.CompanyName is not null && record.Email?.EndsWith("@" + person.Company.Domain, StringComparison.Ordinal) == true =>
                    Colleague(world, person, record),
                HardNegative.SharedFreeMail when record.Email is { } email && person.WorkEmail is null && record.CompanyName is null =>
                    FreeMailNeighbour(world, person, record, email[(email.IndexOf('@', StringComparison.Ordinal) + 1)..]),
                HardNegative.FamilyPhone when person.Phone is not null && record.Phone is not null =>
                    record with { ContactName = $"{world.FirstName(locale, n => n != person.First)} {person.Last}", Email = world.PersonalEmail(person.First + "x", person.Last, locale), CompanyName = null },
                _ => null,
            };
            if (made is not null)
            {
                return made with { Cluster = cluster, Variations = [], Negative = kind, Resembles = record.Cluster };
            }
            if (attempt > 1000)
            {
                throw new InvalidOperationException($"No record to make a {kind} of: the set is too small.");
            }
        }
    }

    private static LabelledRecord Namesake(World world, Person person, LabelledRecord record)
    {
        var other = world.NewPerson(world.PickLocale(), business: world.Random.Int(0, 99) < 65, phone: world.Random.Bool());
        other = other with { First = person.First, Last = person.Last };
        var email = other.Company is null ? world.PersonalEmail(person.First, person.Last, other.Locale)
            : world.UniqueEmail(World.WorkLocal(person.First, person.Last, other.Company.Pattern), other.Company.Domain);
        return record with
        {
            Email = email,
            Phone = other.Phone is null ? null : World.Format(other.Phone, 1),
            CompanyName = other.Company?.Name,
            Country = other.Locale.Region,
        };
    }

    private static LabelledRecord Colleague(World world, Person person, LabelledRecord record)
    {
        var company = person.Company!;
        var (first, last) = (world.FirstName(person.Locale), world.LastName(person.Locale));
        var phone = world.Random.Int(0, 99) < 40 ? World.Format(world.NewPhone(person.Locale), 1) : null;
        return record with
        {
            ContactName = $"{first} {last}",
            Email = world.UniqueEmail(World.WorkLocal(first, last, company.Pattern), company.Domain),
            Phone = phone,
        };
    }

    private static LabelledRecord FreeMailNeighbour(World world, Person person, LabelledRecord record, string provider)
    {
        var sameLast = world.Random.Bool();
        var first = sameLast ? world.FirstName(person.Locale, n => n != person.First) : person.First;
        var last = sameLast ? person.Last : world.LastName(person.Locale);
        if (last == person.Last && first == person.First)
        {
            last += "s";
        }
        return record with
        {
            ContactName = $"{first} {last}",
            Email = world.PersonalEmail(first, last, person.Locale, provider),
            Phone = world.Random.Int(0, 99) < 40 ? World.Format(world.NewPhone(person.Locale), 1) : null,
        };
    }
}
