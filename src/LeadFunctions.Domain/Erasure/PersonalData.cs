using System.Text.Json.Nodes;
using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Merging;
using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Erasure;

/// <summary>
/// What of a record tells who its person is, and how to take it out of the rows of other records
/// that copied it (a survivor's merged fields and history, a neighbour's edge, an event). The
/// person's own records are deleted whole; these rules are for what other people's records keep.
/// </summary>
public static class PersonalData
{
    public const string Erased = "[erased]";

    /// <summary>Shorter values are not looked for in other records' text: they would match what is not theirs.</summary>
    public const int MinLength = 4;

    /// <summary>
    /// The values that identify the person in text: email (as written and normalized), phone (as
    /// written and E.164), name, contact name, street, website and each paragraph of the
    /// description. A company name is the company's, not the person's.
    /// </summary>
    public static IReadOnlySet<string> ValuesOf(Lead lead, Matching.PhoneNumbers phones)
    {
        var values = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        void Add(string? value)
        {
            if (value?.Trim() is { Length: >= MinLength } text)
            {
                values.Add(text);
            }
        }
        Add(lead.Email);
        Add(EmailAddress.Normalize(lead.Email));
        Add(lead.Phone);
        Add(phones.ToE164(lead.Phone, lead.Country));
        Add(lead.Name);
        Add(lead.ContactName);
        Add(lead.Street);
        Add(lead.Website);
        foreach (var paragraph in Paragraphs(lead.Description))
        {
            Add(paragraph.Trim());
        }
        return values;
    }

    /// <summary>
    /// The survivor of a merge without what it took from <paramref name="erased"/>: each field the
    /// merge filled from the erased record (the same value as the erased record's, another than the
    /// survivor's own before the merge) goes back to the survivor's own, the address as one block,
    /// the erased record's paragraphs leave the joined description, and a touch of the erased record
    /// leaves the kept touches. The consent flags stay as they are: an opt-out is never given back.
    /// </summary>
    public static Lead WithoutContributionOf(Lead survivor, Lead survivorBefore, Lead erased)
    {
        var result = survivor.Clone();
        static bool From(string? now, string? erased, string? before) =>
            now is not null && string.Equals(now, erased, StringComparison.Ordinal) && !string.Equals(now, before, StringComparison.Ordinal);
        if (From(result.Name, erased.Name, survivorBefore.Name))
        {
            result.Name = survivorBefore.Name;
        }
        if (From(result.ContactName, erased.ContactName, survivorBefore.ContactName))
        {
            result.ContactName = survivorBefore.ContactName;
        }
        if (From(result.Email, erased.Email, survivorBefore.Email))
        {
            result.Email = survivorBefore.Email;
        }
        if (From(result.Phone, erased.Phone, survivorBefore.Phone))
        {
            result.Phone = survivorBefore.Phone;
        }
        if (From(result.Website, erased.Website, survivorBefore.Website))
        {
            result.Website = survivorBefore.Website;
        }
        static (string?, string?, string?, string?, string?) Block(Lead l) => (l.Street, l.City, l.Zip, l.State, l.Country);
        // The merge moves the fullest address as a block: theirs is gone if the street is, or if
        // the whole block is still theirs (an address without a street: city, zip, country).
        if (From(result.Street, erased.Street, survivorBefore.Street)
            || (Block(result) == Block(erased) && Block(result) != Block(survivorBefore) && Block(erased) != default))
        {
            (result.Street, result.City, result.Zip, result.State, result.Country) =
                (survivorBefore.Street, survivorBefore.City, survivorBefore.Zip, survivorBefore.State, survivorBefore.Country);
        }
        var theirs = Paragraphs(erased.Description).Select(p => p.Trim()).ToHashSet(StringComparer.Ordinal);
        var own = Paragraphs(survivorBefore.Description).Select(p => p.Trim()).ToHashSet(StringComparer.Ordinal);
        var kept = Paragraphs(result.Description).Where(p => !theirs.Contains(p.Trim()) || own.Contains(p.Trim())).ToList();
        result.Description = kept.Count == 0 ? null : string.Join(FieldMerge.DescriptionSeparator, kept);
        if (Touches.Kept(result).Any(t => t.LeadId == erased.Id))
        {
            (result.FirstTouch, result.LastTouch) = Touches.Without([erased.Id], result, survivorBefore);
        }
        return result;
    }

    /// <summary>
    /// A company customer made from their record, kept under its own name: its email, phone,
    /// website and address go where they are the person's (the address as one block).
    /// </summary>
    public static Customer WithoutContactOf(Customer company, IReadOnlySet<string> values, Matching.PhoneNumbers phones)
    {
        ArgumentNullException.ThrowIfNull(company);
        bool Theirs(string? value) => value is not null && Holds(value, values);
        var result = new Customer
        {
            Id = company.Id, Kind = company.Kind, Name = company.Name, CompanyId = company.CompanyId, CreatedAt = company.CreatedAt,
            Email = Theirs(company.Email) || Theirs(EmailAddress.Normalize(company.Email)) ? null : company.Email,
            Phone = Theirs(company.Phone) || Theirs(phones.ToE164(company.Phone, company.Country)) ? null : company.Phone,
            Website = Theirs(company.Website) ? null : company.Website,
        };
        if (!Theirs(company.Street))
        {
            (result.Street, result.City, result.Zip, result.State, result.Country) = (company.Street, company.City, company.Zip, company.State, company.Country);
        }
        return result;
    }

    /// <summary>
    /// Replaces every string in <paramref name="node"/> that holds one of <paramref name="values"/>
    /// with <see cref="Erased"/>, in place (property names are the app's own: field names and ids).
    /// </summary>
    /// <returns>True when anything was replaced.</returns>
    public static bool Scrub(JsonNode? node, IReadOnlySet<string> values)
    {
        if (values.Count == 0)
        {
            return false;
        }
        switch (node)
        {
            case JsonObject obj:
                var changed = false;
                foreach (var (name, child) in obj.ToList())
                {
                    if (child is JsonValue value && value.TryGetValue<string>(out var text) && Holds(text, values))
                    {
                        obj[name] = Erased;
                        changed = true;
                    }
                    else
                    {
                        changed |= Scrub(child, values);
                    }
                }
                return changed;
            case JsonArray array:
                var any = false;
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue item && item.TryGetValue<string>(out var text) && Holds(text, values))
                    {
                        array[i] = Erased;
                        any = true;
                    }
                    else
                    {
                        any |= Scrub(array[i], values);
                    }
                }
                return any;
            default:
                return false;
        }
    }

    /// <summary>The values that name the person for sure wherever they appear: their email addresses and phone numbers.</summary>
    public static HashSet<string> Identifying(IEnumerable<string> values, Matching.PhoneNumbers phones) =>
        new(values.Where(v => v.Contains('@', StringComparison.Ordinal) || phones.ToE164(v) is not null), StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Scrubs, in a document that holds many people (an import's rows), only the objects that are
    /// theirs: those with a string holding an <paramref name="identifying"/> value are scrubbed of
    /// every value; the others are left as they are.
    /// </summary>
    /// <returns>True when anything was replaced.</returns>
    public static bool ScrubTheirs(JsonNode? node, IReadOnlySet<string> identifying, IReadOnlySet<string> values)
    {
        switch (node)
        {
            case JsonObject obj when obj.Any(p => p.Value is JsonValue v && v.TryGetValue<string>(out var text) && Holds(text, identifying)):
                return Scrub(obj, values);
            case JsonObject obj:
                var changed = false;
                foreach (var (_, child) in obj.ToList())
                {
                    changed |= ScrubTheirs(child, identifying, values);
                }
                return changed;
            case JsonArray array:
                var any = false;
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue item && item.TryGetValue<string>(out var text) && Holds(text, identifying))
                    {
                        array[i] = Erased;
                        any = true;
                    }
                    else
                    {
                        any |= ScrubTheirs(array[i], identifying, values);
                    }
                }
                return any;
            default:
                return false;
        }
    }

    /// <summary>True when a string in the document holds one of the values: what <see cref="Scrub"/> would replace.</summary>
    public static bool Mentions(JsonNode? node, IReadOnlySet<string> values) => node switch
    {
        JsonObject obj => obj.Any(p => Mentions(p.Value, values)),
        JsonArray array => array.Any(item => Mentions(item, values)),
        JsonValue value => value.TryGetValue<string>(out var text) && Holds(text, values),
        _ => false,
    };

    /// <summary>Values at least this long (or an email) are looked for inside longer text; shorter ones only as the whole text.</summary>
    public const int DistinctiveLength = 12;

    /// <summary>
    /// True when the text is one of the values, or holds one that is distinctive enough to be
    /// theirs wherever it appears (an email, a phone, a name or paragraph of twelve characters or
    /// more), case-insensitive: "Mark" erases the text "Mark", not "Marketing".
    /// </summary>
    public static bool Holds(string text, IReadOnlySet<string> values) =>
        values.Any(v => v.Length >= DistinctiveLength || v.Contains('@', StringComparison.Ordinal)
            ? text.Contains(v, StringComparison.OrdinalIgnoreCase)
            : string.Equals(text.Trim(), v, StringComparison.OrdinalIgnoreCase));

    private static string[] Paragraphs(string? description) =>
        string.IsNullOrEmpty(description)
            ? []
            : description.Split(FieldMerge.DescriptionSeparator, StringSplitOptions.RemoveEmptyEntries);
}
