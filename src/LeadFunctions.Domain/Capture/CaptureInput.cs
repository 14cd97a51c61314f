using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using LeadFunctions.Domain.Leads;

namespace LeadFunctions.Domain.Capture;

// Inside the namespace: libphonenumber's global PhoneNumbers namespace would otherwise hide the type.
using LeadFunctions.Domain.Matching;

/// <summary>The fields of the public web form, POST /capture (SPEC 5, Capture).</summary>
public sealed class CaptureInput
{
    public string? Name { get; set; }
    public string? ContactName { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public string? CompanyName { get; set; }
    public string? Website { get; set; }
    /// <summary>Stored as the record's description.</summary>
    public string? Message { get; set; }
    public string? Source { get; set; }
    public string? Medium { get; set; }
    public string? Campaign { get; set; }
    public string? TeamId { get; set; }
    public List<string>? Tags { get; set; }

    // The form's consent boxes (SPEC 4.2), as POST /leads takes them.
    public bool? EmailOptOut { get; set; }
    public bool? PhoneOptOut { get; set; }
    public bool? DoNotContact { get; set; }

    /// <summary>A field hidden from people; a bot that fills it gets a 202 and nothing is stored.</summary>
    [JsonPropertyName("_hp")]
    public string? Honeypot { get; set; }

    /// <summary>Where a form post is sent back to (303) when its origin is allowed.</summary>
    [JsonPropertyName("_redirect")]
    public string? Redirect { get; set; }

    [JsonIgnore]
    public bool IsHoneypotFilled => !string.IsNullOrWhiteSpace(Honeypot);

    public LeadInput ToLeadInput() => new()
    {
        Name = Name,
        ContactName = ContactName,
        Email = Email,
        Phone = Phone,
        CompanyName = CompanyName,
        Website = Website,
        Description = Message,
        Source = Source,
        Medium = Medium,
        Campaign = Campaign,
        TeamId = TeamId,
        Tags = Tags is null ? null : [.. Tags],
        EmailOptOut = EmailOptOut,
        PhoneOptOut = PhoneOptOut,
        DoNotContact = DoNotContact,
    };

    /// <summary>
    /// The contact a repeat is recognised by: the normalized email, else the E.164 phone; null when
    /// neither normalizes (such an input fails validation).
    /// </summary>
    public string? NormalizedContact(PhoneNumbers phones)
    {
        ArgumentNullException.ThrowIfNull(phones);
        return EmailAddress.Normalize(Email) ?? phones.ToE164(Phone);
    }

    /// <summary>
    /// SHA-256 (lower-case hex) of the contact and every content field, each trimmed, so the same
    /// contact sending the same form twice gives the same fingerprint and any change of content
    /// another. Each field is written with its length in front, so no text can shift content from
    /// one field into the next; tags are sorted because their order carries no meaning.
    /// </summary>
    public string ContentFingerprint(string normalizedContact)
    {
        ArgumentNullException.ThrowIfNull(normalizedContact);
        var text = new StringBuilder("capture-v1");
        Append(text, normalizedContact);
        foreach (var field in (string?[])[Name, ContactName, Phone, CompanyName, Website, Message, Source, Medium, Campaign, TeamId])
        {
            Append(text, field);
        }
        var tags = (Tags ?? []).Select(t => (t ?? "").Trim()).Order(StringComparer.Ordinal).ToList();
        text.Append('#').Append(tags.Count);
        foreach (var tag in tags)
        {
            Append(text, tag);
        }
        // Only when one is set, so that a form without them keeps the fingerprint it had before they
        // existed; set, a box ticked since the first send makes the form a new capture, not a repeat
        // whose opt-out would be dropped.
        if (EmailOptOut == true || PhoneOptOut == true || DoNotContact == true)
        {
            text.Append("#consent:").Append(EmailOptOut == true ? 'e' : '-').Append(PhoneOptOut == true ? 'p' : '-').Append(DoNotContact == true ? 'd' : '-');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static void Append(StringBuilder text, string? value)
    {
        var trimmed = (value ?? "").Trim();
        text.Append('|').Append(trimmed.Length).Append(':').Append(trimmed);
    }
}
