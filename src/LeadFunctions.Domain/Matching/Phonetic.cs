namespace LeadFunctions.Domain.Matching;

/// <summary>
/// A sound key for a folded name word, after Soundex: like-sounding consonants become one class,
/// vowels and h, w, y after the first sound drop out, and repeats collapse, so that "Schmidt" and
/// "Schmitt", "Catherine" and "Kathryn" share a key. Unlike Soundex the first letter is coded
/// too (C and K sound alike) and the code is not cut to four characters, which would pile up
/// unrelated names in one partition.
/// </summary>
public static class Phonetic
{
    public static string Code(string folded)
    {
        ArgumentNullException.ThrowIfNull(folded);
        var word = folded.Replace("sch", "s", StringComparison.Ordinal).Replace("ph", "f", StringComparison.Ordinal)
            .Replace("ck", "k", StringComparison.Ordinal).Replace("th", "t", StringComparison.Ordinal);
        var code = new System.Text.StringBuilder(word.Length);
        var last = '\0';
        for (var i = 0; i < word.Length; i++)
        {
            var c = word[i];
            var cls = c switch
            {
                'b' or 'p' or 'f' or 'v' => '1',
                'c' or 'g' or 'j' or 'k' or 'q' or 's' or 'x' or 'z' => '2',
                'd' or 't' => '3',
                'l' => '4',
                'm' or 'n' => '5',
                'r' => '6',
                'a' or 'e' or 'i' or 'o' or 'u' or 'y' => i == 0 ? 'a' : '\0',
                'h' or 'w' => '\0',
                _ => '\0',
            };
            if (char.IsDigit(c) || (char.IsLetter(c) && !char.IsAsciiLetter(c)))
            {
                // Digits are not sounds, and this table knows only the Latin alphabet: each stays as
                // it is ("Person 1" and "Person 11", "Петров" and "Смирнов" are other names).
                code.Append(c);
                last = '\0';
                continue;
            }
            if (cls == '\0')
            {
                // A vowel parts two like sounds ("Dede" keeps both d's); h and w do not.
                if (c is not ('h' or 'w'))
                {
                    last = '\0';
                }
                continue;
            }
            if (cls != last)
            {
                code.Append(cls);
            }
            last = cls;
        }
        return code.ToString();
    }
}
