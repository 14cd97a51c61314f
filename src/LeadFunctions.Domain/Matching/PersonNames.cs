namespace LeadFunctions.Domain.Matching;

/// <summary>How two contact names agree, from the best way of reading them (given name first or last).</summary>
public enum NameAgreement
{
    /// <summary>One of them has fewer than two words: a name alone says nothing either way.</summary>
    Unknown,
    Same,
    /// <summary>The same words in the other order ("Smith John").</summary>
    Swapped,
    /// <summary>The same family name, and first names that go by one another ("Bill", "William").</summary>
    Nickname,
    /// <summary>The same family name, and a first name written as its initial ("J. Smith").</summary>
    Initial,
    /// <summary>One word one keystroke away ("Smitg", "Jonh"), or sounding the same.</summary>
    Typo,
    /// <summary>Both words off by a keystroke, or a typo next to an initial: too little to call the same.</summary>
    Faint,
    /// <summary>The same family name and another first name: a colleague or a relative.</summary>
    SameFamilyOtherGiven,
    /// <summary>The same first name and another family name.</summary>
    SameGivenOtherFamily,
    Different,
}

/// <summary>
/// Contact names read as a given name and a family name (first and last word; middle names aside),
/// for the typo-tolerant keys of the contact-name rule and the names' part of a pair's score.
/// </summary>
public static class PersonNames
{
    /// <summary>The folded words of a name; a name of one word says too little to match on.</summary>
    public static IReadOnlyList<string>? Words(string? contactName)
    {
        var folded = NameFolding.Fold(contactName);
        if (folded is null || folded.Length < NameFolding.MinimumLength)
        {
            return null;
        }
        var words = folded.Split(' ');
        return words.Length >= 2 ? words : null;
    }

    /// <summary>
    /// The index key of a name, one partition: its two words' sounds, nicknames read as their formal
    /// name, in sorted order (so case, accents, nicknames, most typos and swapped names meet). One
    /// key, not one per reading: a pair only counts with a second field that agrees (a phone, a
    /// company), whose own key makes it a candidate, and a rule with one key per record drops out
    /// of its pairs exactly when that key is crowded.
    /// </summary>
    public static IReadOnlyList<string> Keys(string? contactName)
    {
        if (Words(contactName) is not { } words)
        {
            return [];
        }
        var (given, family) = (words[0], words[^1]);
        var sounds = new[] { Phonetic.Code(Nicknames.CanonicalOf(given)), Phonetic.Code(family) }.Order(StringComparer.Ordinal);
        // Prefixed, so that a sound key never meets a folded name's key an older version indexed.
        return [$"s:{string.Join(' ', sounds)}"];
    }

    public static NameAgreement Compare(string? a, string? b)
    {
        // Any two words count here, short ones too ("A. Lee"): the keys, not the comparison, need length.
        if (NameFolding.Fold(a)?.Split(' ') is not { Length: >= 2 } x || NameFolding.Fold(b)?.Split(' ') is not { Length: >= 2 } y)
        {
            return NameAgreement.Unknown;
        }
        if (x.Order(StringComparer.Ordinal).SequenceEqual(y.Order(StringComparer.Ordinal)))
        {
            // The same words, whatever their order ("Lefèvre, Ann-Sophie").
            return x.SequenceEqual(y) ? NameAgreement.Same : NameAgreement.Swapped;
        }
        // Either may be written last name first: the best of the three readings, which also makes
        // the comparison the same whichever record is checked.
        NameAgreement[] readings =
        [
            Read(Given(x[0], y[0]), Family(x[^1], y[^1]), swapped: false),
            Read(Given(x[^1], y[0]), Family(x[0], y[^1]), swapped: true),
            Read(Given(x[0], y[^1]), Family(x[^1], y[0]), swapped: true),
        ];
        return readings.Min();
    }

    /// <summary>Whether the family name is among the most frequent ones, which say less about who someone is.</summary>
    public static bool HasCommonFamilyName(string? contactName) =>
        Words(contactName) is { } words && CommonFamilyNames.Contains(words[^1]);

    private enum Part { Same, Nickname, Initial, Typo, Other }

    private static NameAgreement Read(Part given, Part family, bool swapped) => (given, family) switch
    {
        (Part.Same, Part.Same) => swapped ? NameAgreement.Swapped : NameAgreement.Same,
        (Part.Nickname, Part.Same) => NameAgreement.Nickname,
        (Part.Initial, Part.Same) => NameAgreement.Initial,
        (Part.Typo, Part.Same) or (Part.Same or Part.Nickname, Part.Typo) => NameAgreement.Typo,
        (Part.Typo or Part.Initial, Part.Typo) => NameAgreement.Faint,
        (Part.Other, Part.Same or Part.Typo) => NameAgreement.SameFamilyOtherGiven,
        (Part.Same or Part.Nickname, Part.Other) => NameAgreement.SameGivenOtherFamily,
        _ => NameAgreement.Different,
    };

    private static Part Given(string a, string b)
    {
        if (a == b)
        {
            return Part.Same;
        }
        if (Nicknames.Same(a, b))
        {
            return Part.Nickname;
        }
        if ((a.Length == 1 && b.StartsWith(a, StringComparison.Ordinal)) || (b.Length == 1 && a.StartsWith(b, StringComparison.Ordinal)))
        {
            return Part.Initial;
        }
        if (Stem(a) == Stem(b))
        {
            // The other gender's form of one name (Maria and Mario, Daniel and Daniela): relatives, not a typo.
            return Part.Other;
        }
        return Typo(a, b) ? Part.Typo : Part.Other;
    }

    private static string Stem(string given) => given.Length > 3 && given[^1] is 'a' or 'e' or 'o' or 'i' ? given[..^1] : given;

    private static Part Family(string a, string b) => a == b ? Part.Same : Typo(a, b) ? Part.Typo : Part.Other;

    /// <summary>One keystroke apart (a letter changed, dropped, added, or two swapped) in words of four letters or more, or sounding the same.</summary>
    private static bool Typo(string a, string b) =>
        Math.Min(a.Length, b.Length) >= 4 && Math.Abs(a.Length - b.Length) <= 1 && (Keystrokes.Distance(a, b) <= 1 || SoundAlike(a, b));

    private static bool SoundAlike(string a, string b) => Phonetic.Code(a) is { Length: > 0 } code && code == Phonetic.Code(b);

    private static readonly F23.StringSimilarity.OptimalStringAlignment Keystrokes = new();

    // The most frequent family names of the countries our users sell in (folded).
    private static readonly HashSet<string> CommonFamilyNames = new(StringComparer.Ordinal)
    {
        "smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis", "rodriguez", "martinez", "hernandez", "lopez",
        "gonzalez", "wilson", "anderson", "thomas", "taylor", "moore", "jackson", "martin", "lee", "thompson", "white", "harris",
        "clark", "lewis", "robinson", "walker", "young", "allen", "king", "wright", "scott", "green", "baker", "adams", "nelson",
        "muller", "mueller", "schmidt", "schneider", "fischer", "weber", "meyer", "wagner", "becker", "schulz", "hoffmann",
        "bernard", "dubois", "durand", "petit", "richard", "robert", "moreau", "laurent", "simon", "michel", "lefebvre",
        "jong", "jansen", "vries", "berg", "bakker", "visser", "smit", "meijer", "boer", "mulder",
        "fernandez", "sanchez", "perez", "gomez", "jimenez", "ruiz", "diaz", "moreno", "alvarez", "romero",
        "patel", "wang", "li", "zhang", "liu", "chen", "nguyen", "kim", "park", "singh", "kumar",
    };
}
