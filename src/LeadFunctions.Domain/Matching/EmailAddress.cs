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
    /// The lower-cased address of a bare address or a <c>"Name" &lt;address&gt;</c> form;
    /// null when the text is not a plausible single email address.
    /// </summary>
    public static string? Normalize(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw) || raw.Length > MaxRawLength)
        {
            return null;
        }
        var text = raw.Trim();
        var address = Extract(text);
        if (address is null || !MailAddress.TryCreate(text, out var parsed))
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

    /// <summary>The address part of "addr" or "Display Name &lt;addr&gt;", or null for anything else.</summary>
    private static string? Extract(string text)
    {
        if (!text.EndsWith('>'))
        {
            return text.Contains('<', StringComparison.Ordinal) ? null : text;
        }
        var open = text.LastIndexOf('<');
        if (open < 0)
        {
            return null;
        }
        var display = text[..open].Trim();
        if (display.IndexOfAny(['<', '>']) >= 0)
        {
            return null;
        }
        // An '@', ',' or ';' in an unquoted display name means a second address or a list.
        var quoted = display.Length >= 2 && display[0] == '"' && display[^1] == '"';
        if (!quoted && display.IndexOfAny(['@', ',', ';']) >= 0)
        {
            return null;
        }
        return text[(open + 1)..^1].Trim();
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
