using System.Net.Mail;

namespace LeadFunctions.Domain.Matching;

/// <summary>
/// Email normalization for matching (SPEC 4.2). The stored value is never changed; these forms
/// only feed the similar-record keys and validation.
/// </summary>
public static class EmailAddress
{
    public const int MaxLength = 254;

    // Bounds the parser's work on hostile input; no real "Name" <address> form comes near it.
    private const int MaxRawLength = 1024;

    /// <summary>
    /// The lower-cased address of a bare address or of any RFC 5322 name-addr form
    /// (<c>Amy &lt;amy@x.test&gt;</c>, <c>"Wong, Amy" &lt;AMY@x.test&gt;</c>,
    /// <c>"Amy, PhD Student, Wong" Tiny &lt;amy@x.test&gt;</c>); null when the text is not one
    /// plausible email address.
    /// </summary>
    public static string? Normalize(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw) || raw.Length > MaxRawLength)
        {
            return null;
        }
        var address = Extract(raw.Trim());
        if (address is null || !MailAddress.TryCreate(address, out var parsed))
        {
            return null;
        }
        // MailAddress quietly keeps the last of "a@x.test; b@y.test" and drops comments, so its
        // answer only counts when it agrees with the address written in the text.
        if (!string.Equals(parsed.Address, address, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var normalized = address.ToLowerInvariant();
        return IsPlausible(normalized) ? normalized : null;
    }

    /// <summary>The domain of a normalized address, or null.</summary>
    public static string? DomainOf(string? normalized)
    {
        if (string.IsNullOrEmpty(normalized))
        {
            return null;
        }
        var at = normalized.LastIndexOf('@');
        return at < 0 || at == normalized.Length - 1 ? null : normalized[(at + 1)..];
    }

    /// <summary>
    /// The mailbox a provider really delivers to, for providers that ignore dots and +tags
    /// (Gmail under both of its domains); null for every other provider, whose local parts may
    /// well be significant.
    /// </summary>
    public static string? CanonicalAlias(string? normalized)
    {
        var domain = DomainOf(normalized);
        if (normalized is null || domain is not ("gmail.com" or "googlemail.com"))
        {
            return null;
        }
        var local = normalized[..normalized.LastIndexOf('@')];
        var plus = local.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
        {
            local = local[..plus];
        }
        local = local.Replace(".", "", StringComparison.Ordinal);
        return local.Length == 0 ? null : local + "@gmail.com";
    }

    /// <summary>The address of "addr" or "display-name &lt;addr&gt;", or null for anything else (a list, a group, a second address).</summary>
    private static string? Extract(string text)
    {
        if (!text.EndsWith('>'))
        {
            return text.IndexOfAny(['<', '>', '"']) >= 0 ? null : text;
        }
        var open = DisplayNameEnd(text);
        return open < 0 ? null : text[(open + 1)..^1].Trim();
    }

    /// <summary>
    /// Reads the display name as RFC 5322's phrase: words that are atoms (with the dots of the
    /// obsolete phrase, "Dr. Amy"), quoted strings (which may hold anything, commas and '@'
    /// included, with backslash escapes) or comments. The index of the '&lt;' that ends it, or -1
    /// when the text before the angle brackets is not a phrase.
    /// </summary>
    private static int DisplayNameEnd(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            switch (c)
            {
                case '<':
                    return text.IndexOf('>', i) == text.Length - 1 && text.IndexOf('<', i + 1) < 0 ? i : -1;
                case '"':
                    i = Skip(text, i, '"');
                    break;
                case '(':
                    i = Skip(text, i, ')');
                    break;
                default:
                    // Specials outside quotes mean a list (','), a group (':', ';') or a second address.
                    if (c is ',' or ';' or ':' or '@' or '>' or '[' or ']' or '\\' || char.IsControl(c))
                    {
                        return -1;
                    }
                    i++;
                    break;
            }
            if (i < 0)
            {
                return -1;
            }
        }
        return -1;
    }

    /// <summary>The index after the quoted string or (nested) comment opening at <paramref name="start"/>, or -1 when it never closes.</summary>
    private static int Skip(string text, int start, char close)
    {
        var depth = 0;
        for (var i = start + 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\')
            {
                i++;
            }
            else if (close == ')' && c == '(')
            {
                depth++;
            }
            else if (c == close)
            {
                if (depth == 0)
                {
                    return i + 1;
                }
                depth--;
            }
        }
        return -1;
    }

    private static bool IsPlausible(string address)
    {
        if (address.Length > MaxLength)
        {
            return false;
        }
        var at = address.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != address.LastIndexOf('@'))
        {
            return false;
        }
        foreach (var c in address)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || char.IsSurrogate(c) || "\"(),:;<>[\\]".Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }
        return IsDotAtom(address[..at]) && IsDomain(address[(at + 1)..]);
    }

    private static bool IsDotAtom(string local) =>
        local.Length is > 0 and <= 64 && local[0] != '.' && local[^1] != '.' && !local.Contains("..", StringComparison.Ordinal);

    private static bool IsDomain(string domain)
    {
        var labels = domain.Split('.');
        if (labels.Length < 2 || domain.Length > 253)
        {
            return false;
        }
        foreach (var label in labels)
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-' ||
                !label.All(c => char.IsLetterOrDigit(c) || c == '-'))
            {
                return false;
            }
        }
        // An all-digit top level is an IP address in disguise, not a mail domain.
        return !labels[^1].All(char.IsAsciiDigit);
    }
}
