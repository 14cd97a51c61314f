namespace LeadFunctions.Domain.Leads;

// Inside the namespace: libphonenumber's global PhoneNumbers namespace would otherwise hide the type.
using LeadFunctions.Domain.Matching;

/// <summary>The field rules of a record's writable fields. A null or blank field counts as not given.</summary>
public static class LeadValidator
{
    public const int MaxTextLength = 256;
    public const int MaxDescriptionLength = 16_000;
    public const int MaxWebsiteLength = 2048;
    public const int MaxTags = 50;
    public const int MaxTagLength = 64;
    public const int MaxPriority = 3;
    public const int MaxProbability = 100;
    public const decimal MaxExpectedRevenue = 1_000_000_000_000m;

    public static ValidationErrors Validate(LeadInput input, PhoneNumbers phones, bool requireContact)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(phones);
        var errors = new ValidationErrors();

        Text(errors, "name", input.Name, MaxTextLength);
        Text(errors, "contactName", input.ContactName, MaxTextLength);
        Text(errors, "companyName", input.CompanyName, MaxTextLength);
        Text(errors, "street", input.Street, MaxTextLength);
        Text(errors, "city", input.City, MaxTextLength);
        Text(errors, "zip", input.Zip, MaxTextLength);
        Text(errors, "state", input.State, MaxTextLength);
        Text(errors, "country", input.Country, MaxTextLength);
        Text(errors, "source", input.Source, MaxTextLength);
        Text(errors, "medium", input.Medium, MaxTextLength);
        Text(errors, "campaign", input.Campaign, MaxTextLength);
        Text(errors, "description", input.Description, MaxDescriptionLength, allowLineBreaks: true);

        var hasEmail = Given(input.Email);
        if (hasEmail && Text(errors, "email", input.Email, EmailAddress.MaxLength) && EmailAddress.Normalize(input.Email) is null)
        {
            errors.Add("email", "must be an email address");
        }
        var hasPhone = Given(input.Phone);
        // Read in the record's own country when it names one (a Belgian 0485… is not a US number).
        if (hasPhone && Text(errors, "phone", input.Phone, MaxTextLength) && phones.ToE164(input.Phone, input.Country) is null)
        {
            errors.Add("phone", "must be a phone number (with a country code outside " + phones.RegionFor(input.Country) + ")");
        }
        if (requireContact && !hasEmail && !hasPhone)
        {
            errors.Add("email", "an email or a phone is required");
        }

        if (Given(input.Website) && Text(errors, "website", input.Website, MaxWebsiteLength) && !IsWebsite(input.Website!))
        {
            errors.Add("website", "must be an http(s) URL or a host name");
        }

        Id(errors, "userId", input.UserId);
        Id(errors, "teamId", input.TeamId);
        Id(errors, "customerId", input.CustomerId);

        if (input.Priority is < 0 or > MaxPriority)
        {
            errors.Add("priority", $"must be between 0 and {MaxPriority}");
        }
        if (input.Probability is < 0 or > MaxProbability)
        {
            errors.Add("probability", $"must be between 0 and {MaxProbability}");
        }
        if (input.ExpectedRevenue is < 0m or > MaxExpectedRevenue)
        {
            errors.Add("expectedRevenue", "must be between 0 and 1000000000000");
        }
        Tags(errors, input.Tags);
        return errors;
    }

    /// <summary>An absolute http(s) URL, or a bare host name ("acme.test", "www.acme.test/about").</summary>
    public static bool IsWebsite(string value)
    {
        var text = value.Trim();
        if (text.Any(char.IsWhiteSpace))
        {
            return false;
        }
        // Without a scheme the text must read as a host: prefixing one makes "mailto:a@b.test" or
        // "javascript:x" fail below instead of passing as some other scheme.
        var candidate = text.Contains("://", StringComparison.Ordinal) ? text : "https://" + text;
        return Uri.TryCreate(candidate, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && uri.UserInfo.Length == 0
            && uri.HostNameType == UriHostNameType.Dns
            && uri.Host.Contains('.', StringComparison.Ordinal)
            && !uri.Host.StartsWith('.') && !uri.Host.EndsWith('.');
    }

    private static bool Given(string? value) => !string.IsNullOrWhiteSpace(value);

    /// <returns>True when the text passed (or was not given), so finer checks can follow.</returns>
    internal static bool Text(ValidationErrors errors, string field, string? value, int maxLength, bool allowLineBreaks = false)
    {
        if (value is null)
        {
            return true;
        }
        var ok = true;
        if (value.Length > maxLength)
        {
            errors.Add(field, $"must be at most {maxLength} characters");
            ok = false;
        }
        if (HasForbiddenCharacters(value, allowLineBreaks))
        {
            errors.Add(field, allowLineBreaks
                ? "must not contain control characters other than line breaks and tabs"
                : "must not contain control characters");
            ok = false;
        }
        return ok;
    }

    /// <summary>Control characters, and halves of surrogate pairs that a storage round trip would mangle.</summary>
    internal static bool HasForbiddenCharacters(string value, bool allowLineBreaks)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c))
            {
                return true;
            }
            if (char.IsControl(c) && !(allowLineBreaks && c is '\r' or '\n' or '\t'))
            {
                return true;
            }
        }
        return false;
    }

    private static void Id(ValidationErrors errors, string field, string? value)
    {
        if (Given(value) && !Ids.IsWellFormed(value))
        {
            errors.Add(field, "must be an id");
        }
    }

    private static void Tags(ValidationErrors errors, List<string>? tags)
    {
        if (tags is null)
        {
            return;
        }
        if (tags.Count > MaxTags)
        {
            errors.Add("tags", $"must hold at most {MaxTags} tags");
        }
        foreach (var tag in tags)
        {
            if (string.IsNullOrWhiteSpace(tag) || tag.Length > MaxTagLength)
            {
                errors.Add("tags", $"each tag must be 1 to {MaxTagLength} characters");
            }
            else if (HasForbiddenCharacters(tag, allowLineBreaks: false))
            {
                errors.Add("tags", "must not contain control characters");
            }
        }
    }
}
