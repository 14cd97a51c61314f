using System.Globalization;
using System.Text;

namespace LeadFunctions.Domain.Matching;

/// <summary>
/// Names folded for matching (SPEC 4.2): case, accents, punctuation and white space ignored, and a
/// company's legal form (Inc, Ltd, GmbH…) dropped, so that "Globex Industries, Inc." and
/// "GLOBEX industries" are one name. The stored value is never changed.
/// </summary>
public static class NameFolding
{
    /// <summary>A folded name shorter than this says too little to match on ("wong", "acme").</summary>
    public const int MinimumLength = 6;

    // Legal forms, folded, as they end a company name; dropped repeatedly ("Foo Co. Ltd" → "foo").
    private static readonly HashSet<string> LegalForms = new(StringComparer.Ordinal)
    {
        "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "llc", "llp", "lp", "plc",
        "gmbh", "mbh", "ag", "kg", "ug", "ohg", "ev", "sa", "sas", "sasu", "sarl", "sl", "sll", "srl", "spa", "snc",
        "bv", "nv", "vof", "ab", "oy", "oyj", "as", "asa", "aps", "pty", "pte", "bhd", "sdn", "kk", "sro", "zrt", "kft",
    };

    // Letters that carry no separable accent, as keyboards without them spell them ("Müßig" is "mussig").
    private static readonly Dictionary<char, string> Spelled = new()
    {
        ['ß'] = "ss", ['ø'] = "o", ['Ø'] = "O", ['æ'] = "ae", ['Æ'] = "AE", ['œ'] = "oe", ['Œ'] = "OE", ['ł'] = "l", ['Ł'] = "L", ['đ'] = "d", ['Đ'] = "D",
    };

    private static readonly System.Buffers.SearchValues<char> Unsplit = System.Buffers.SearchValues.Create([.. Spelled.Keys]);

    /// <summary>Lower-cased, accents removed, every run of anything but letters and digits one space; null when nothing is left.</summary>
    public static string? Fold(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }
        var decomposed = Decompose(name);
        if (decomposed.AsSpan().IndexOfAny(Unsplit) >= 0)
        {
            decomposed = Spelled.Aggregate(decomposed, (text, letter) => text.Replace(letter.Key.ToString(), letter.Value, StringComparison.Ordinal));
        }
        var folded = new StringBuilder(decomposed.Length);
        var space = false;
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            {
                continue;
            }
            if (char.IsLetterOrDigit(c))
            {
                if (space && folded.Length > 0)
                {
                    folded.Append(' ');
                }
                folded.Append(char.ToLowerInvariant(c));
                space = false;
            }
            else
            {
                // Apostrophes join ("O'Brien" is "obrien"); everything else separates words.
                space |= c is not ('\'' or '\u2019');
            }
        }
        return folded.Length == 0 ? null : folded.ToString();
    }

    /// <summary>
    /// Compatibility decomposition (accents apart from their letters, ligatures and full-width
    /// forms to plain letters). .NET refuses a whole string holding a code point it cannot
    /// normalize (U+FFFE, a lone surrogate): then each character is decomposed alone and those it
    /// cannot take are left as a space (they separate words, as any other non-letter does), so
    /// that such text never breaks a check.
    /// </summary>
    private static string Decompose(string name)
    {
        try
        {
            return name.Normalize(NormalizationForm.FormKD);
        }
        catch (ArgumentException)
        {
            var decomposed = new StringBuilder(name.Length);
            var rest = name.AsSpan();
            while (!rest.IsEmpty)
            {
                var status = Rune.DecodeFromUtf16(rest, out var rune, out var used);
                try
                {
                    decomposed.Append(status == System.Buffers.OperationStatus.Done ? rune.ToString().Normalize(NormalizationForm.FormKD) : " ");
                }
                catch (ArgumentException)
                {
                    decomposed.Append(' ');
                }
                rest = rest[used..];
            }
            return decomposed.ToString();
        }
    }

    // Words that join or decorate a company's name and say nothing about which company it is.
    private static readonly HashSet<string> Joiners = new(StringComparer.Ordinal) { "and", "und", "et", "y", "en", "e", "the", "of" };

    // Abbreviations people write for a company's words, to their full word.
    private static readonly Dictionary<string, string> Abbreviations = new(StringComparer.Ordinal)
    {
        ["intl"] = "international", ["int"] = "international", ["grp"] = "group", ["mfg"] = "manufacturing", ["svcs"] = "services",
        ["svc"] = "services", ["assoc"] = "associates", ["bros"] = "brothers", ["tech"] = "technologies", ["sys"] = "systems",
    };

    /// <summary>
    /// The company-name key: the folded name's words without joining words ("and", "&amp;"), without
    /// its legal forms, abbreviations written out, in sorted order, when it keeps at least
    /// <see cref="MinimumLength"/> characters. "Kuhn, Boehm and Kling GmbH", "KUHN-BOEHM &amp; KLING"
    /// and "Boehm Kuhn Kling" are one key.
    /// </summary>
    public static string? CompanyKey(string? companyName)
    {
        var words = Fold(companyName)?.Split(' ').ToList();
        if (words is null)
        {
            return null;
        }
        // Dotted forms fold to single letters ("S.A." is "s a", "B.V." is "b v"): join them back.
        var letters = words.Count - words.AsEnumerable().Reverse().TakeWhile(w => w.Length == 1).Count();
        if (letters > 0 && letters < words.Count - 1)
        {
            words[letters] = string.Concat(words.Skip(letters));
            words.RemoveRange(letters + 1, words.Count - letters - 1);
        }
        words = words.Where(w => !Joiners.Contains(w)).Select(w => Abbreviations.GetValueOrDefault(w, w)).ToList();
        while (words.Count > 1 && LegalForms.Contains(words[^1]))
        {
            words.RemoveAt(words.Count - 1);
        }
        var key = string.Join(' ', words.Order(StringComparer.Ordinal));
        return key.Length >= MinimumLength ? key : null;
    }
}
