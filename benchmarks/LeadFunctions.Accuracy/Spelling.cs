using System.Globalization;
using System.Text;
using Bogus;

namespace LeadFunctions.Accuracy;

/// <summary>
/// How people write a name otherwise: nicknames, keyboard typos, dropped accents. The generator's
/// own tables, written apart from the detector's: its nicknames are the well-known ones, which any
/// nickname table holds (the detector's does, with more), so a detector without one pays for it.
/// </summary>
public static class Spelling
{
    /// <summary>Formal first names and the nicknames people go by (English, German, French, Spanish, Dutch usage).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Nicknames = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["William"] = ["Bill", "Will", "Billy"], ["Robert"] = ["Bob", "Rob", "Bobby"], ["Richard"] = ["Rick", "Dick", "Rich"],
        ["James"] = ["Jim", "Jimmy"], ["John"] = ["Jack", "Johnny"], ["Michael"] = ["Mike", "Mick"], ["Elizabeth"] = ["Liz", "Beth", "Betty"],
        ["Margaret"] = ["Maggie", "Peggy", "Meg"], ["Katherine"] = ["Kate", "Kathy"], ["Catherine"] = ["Cathy", "Kate"], ["Thomas"] = ["Tom", "Tommy"],
        ["Joseph"] = ["Joe", "Joey"], ["Charles"] = ["Charlie", "Chuck"], ["Christopher"] = ["Chris"], ["Daniel"] = ["Dan", "Danny"],
        ["Matthew"] = ["Matt"], ["Anthony"] = ["Tony"], ["Steven"] = ["Steve"], ["Edward"] = ["Ed", "Ted", "Eddie"], ["Jennifer"] = ["Jen", "Jenny"],
        ["Patricia"] = ["Pat", "Patty", "Trish"], ["Susan"] = ["Sue", "Susie"], ["Deborah"] = ["Deb", "Debbie"], ["Alexander"] = ["Alex", "Sasha"],
        ["Benjamin"] = ["Ben"], ["Samuel"] = ["Sam"], ["Nicholas"] = ["Nick"], ["Jonathan"] = ["Jon"], ["Timothy"] = ["Tim"], ["Andrew"] = ["Andy", "Drew"],
        ["Kenneth"] = ["Ken", "Kenny"], ["Ronald"] = ["Ron", "Ronnie"], ["Donald"] = ["Don"], ["Gregory"] = ["Greg"], ["Jeffrey"] = ["Jeff"],
        ["Lawrence"] = ["Larry"], ["Raymond"] = ["Ray"], ["Frederick"] = ["Fred", "Freddie"], ["Victoria"] = ["Vicky", "Tori"], ["Rebecca"] = ["Becky"],
        ["Jessica"] = ["Jess"], ["Abigail"] = ["Abby"], ["Christine"] = ["Chris", "Tina"], ["Barbara"] = ["Barb"], ["Dorothy"] = ["Dot", "Dottie"],
        ["Johannes"] = ["Hans", "Jo"], ["Friedrich"] = ["Fritz"], ["Wolfgang"] = ["Wolf"], ["Francisco"] = ["Paco", "Pancho"], ["José"] = ["Pepe"],
        ["Guillermo"] = ["Memo"], ["Alejandro"] = ["Alex"], ["Dolores"] = ["Lola"], ["Ignacio"] = ["Nacho"], ["Manuel"] = ["Manolo"],
        ["Frédéric"] = ["Fred"], ["Nicolas"] = ["Nico"], ["Jacobus"] = ["Koos", "Jaap"], ["Cornelis"] = ["Kees"], ["Wilhelmina"] = ["Willemien", "Mien"],
    };

    private static readonly string[] Rows = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];

    /// <summary>The keys next to a letter on a QWERTY keyboard.</summary>
    public static IReadOnlyList<char> Neighbours(char letter)
    {
        var lower = char.ToLowerInvariant(letter);
        var found = new List<char>();
        for (var r = 0; r < Rows.Length; r++)
        {
            var c = Rows[r].IndexOf(lower, StringComparison.Ordinal);
            if (c < 0)
            {
                continue;
            }
            foreach (var (dr, dc) in new[] { (0, -1), (0, 1), (-1, 0), (-1, 1), (1, -1), (1, 0) })
            {
                var (nr, nc) = (r + dr, c + dc);
                if (nr >= 0 && nr < Rows.Length && nc >= 0 && nc < Rows[nr].Length)
                {
                    found.Add(char.IsUpper(letter) ? char.ToUpperInvariant(Rows[nr][nc]) : Rows[nr][nc]);
                }
            }
        }
        return found;
    }

    /// <summary>
    /// One typo past the first letter (people seldom miss the first): a neighbouring key hit, two
    /// letters swapped, one dropped or one doubled. Null when the word is too short to mistype.
    /// </summary>
    public static string? Typo(string word, Randomizer random)
    {
        var letters = Enumerable.Range(1, Math.Max(0, word.Length - 1)).Where(i => char.IsAsciiLetter(word[i])).ToList();
        if (word.Length < 4 || letters.Count == 0)
        {
            return null;
        }
        var at = random.ListItem(letters);
        var kind = random.Int(0, 99);
        string result;
        if (kind < 50 && Neighbours(word[at]) is { Count: > 0 } near)
        {
            result = word[..at] + random.ListItem(near.ToList()) + word[(at + 1)..];
        }
        else if (kind < 70 && at + 1 < word.Length && word[at] != word[at + 1])
        {
            result = word[..at] + word[at + 1] + word[at] + word[(at + 2)..];
        }
        else if (kind < 85)
        {
            result = word.Remove(at, 1);
        }
        else
        {
            result = word.Insert(at, word[at].ToString());
        }
        return result == word ? null : result;
    }

    public static bool HasAccents(string text) => StripAccents(text) != text;

    /// <summary>The text without its accents, as typed on a keyboard without them ("Müller" → "Muller", "ß" → "ss").</summary>
    public static string StripAccents(string text)
    {
        var decomposed = text.Replace("ß", "ss", StringComparison.Ordinal).Replace("ø", "o", StringComparison.Ordinal)
            .Replace("Ø", "O", StringComparison.Ordinal).Replace("æ", "ae", StringComparison.Ordinal).Normalize(NormalizationForm.FormD);
        var kept = decomposed.Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark);
        return new string(kept.ToArray()).Normalize(NormalizationForm.FormC);
    }

    /// <summary>Lower-case ASCII letters only, for email local parts and domains.</summary>
    public static string Ascii(string text) =>
        new(StripAccents(text).ToLowerInvariant().Where(char.IsAsciiLetter).ToArray());
}
