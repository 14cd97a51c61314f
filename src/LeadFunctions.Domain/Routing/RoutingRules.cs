using LeadFunctions.Domain.Leads;
using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Routing;

/// <summary>Conditions and their checks.</summary>
public static class RoutingRules
{
    public const int MaxRules = 20;
    public const int MaxValues = 50;
    public const int MaxValueLength = 200;

    /// <summary>The fields a condition may name: country, source, medium, campaign, tags, emailDomain, companyName.</summary>
    public static IReadOnlyList<string> Fields { get; } = ["country", "source", "medium", "campaign", "tags", "emailDomain", "companyName"];

    /// <summary>
    /// Whether the condition holds for the record. Comparisons ignore case and surrounding space;
    /// emailDomain is the part after the last '@' of the email; tags hold when any tag does; an
    /// empty field holds for nothing. equals: the first value; in: any value; contains / startsWith: any value.
    /// </summary>
    public static bool Holds(RoutingRule rule, Lead lead) =>
        rule.Field == "tags"
            ? HeldTag(rule, lead) is not null
            : ValueOf(rule.Field, lead) is { } value && Matches(rule, value);

    /// <summary>The condition as it held, in words, with the record's value: "country BE", "tags include fair", "emailDomain acme.example".</summary>
    public static string Describe(RoutingRule rule, Lead lead)
    {
        if (rule.Field == "tags")
        {
            if (HeldTag(rule, lead) is { } tag)
            {
                return $"tags include {tag}";
            }
            // Only reached when asked about a condition that did not hold: say what the record had.
            var tags = Tags(lead).ToList();
            return tags.Count > 0 ? $"tags {string.Join(", ", tags)}" : "tags (none)";
        }
        return $"{rule.Field} {ValueOf(rule.Field, lead) ?? "(empty)"}";
    }

    /// <summary>
    /// Adds the errors of a team's rules under "rules[i].field" / ".op" / ".values": an unknown
    /// field, no values, more than 50 values, a value empty or over 200 characters; equals takes one value.
    /// At most 20 conditions a team.
    /// </summary>
    public static void Validate(IReadOnlyList<RoutingRule>? rules, ValidationErrors errors)
    {
        // A missing or null list is a team without conditions, as a merge patch's null resets a member to its default.
        if (rules is null)
        {
            return;
        }
        if (rules.Count > MaxRules)
        {
            // Not checked one by one: a list this long is a mistake, and thousands of errors would not help.
            errors.Add("rules", $"At most {MaxRules} conditions a team; {rules.Count} given.");
            return;
        }
        for (var i = 0; i < rules.Count; i++)
        {
            var at = $"rules[{i}]";
            if (rules[i] is not { } rule)
            {
                errors.Add(at, "A condition must be an object with field, op and values.");
                continue;
            }
            if (!Fields.Contains(rule.Field, StringComparer.Ordinal))
            {
                errors.Add(at + ".field", $"'{Shorten(rule.Field)}' is not a field a condition can name; use one of: {string.Join(", ", Fields)}.");
            }
            // The enum converter also reads numbers, so an op outside the names can arrive.
            if (!Enum.IsDefined(rule.Op))
            {
                errors.Add(at + ".op", "Use one of: equals, in, contains, startsWith.");
            }
            ValidateValues(rule, at + ".values", errors);
        }
    }

    private static void ValidateValues(RoutingRule rule, string at, ValidationErrors errors)
    {
        if (rule.Values is not { Count: > 0 } values)
        {
            errors.Add(at, "Give at least one value.");
            return;
        }
        if (values.Count > MaxValues)
        {
            errors.Add(at, $"At most {MaxValues} values; {values.Count} given.");
            return;
        }
        if (rule.Op == RuleOp.Equals && values.Count > 1)
        {
            errors.Add(at, "equals takes one value; use in for several.");
        }
        foreach (var value in values)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                errors.Add(at, "A value must not be empty.");
            }
            else if (value.Trim().Length > MaxValueLength)
            {
                errors.Add(at, $"A value has at most {MaxValueLength} characters.");
            }
        }
    }

    private static string Shorten(string? text) => text is null ? "null" : text.Length > 60 ? text[..60] + "…" : text;

    /// <summary>The record's value of a field, trimmed; null when empty or the field is not one a condition can name.</summary>
    private static string? ValueOf(string field, Lead lead)
    {
        var value = field switch
        {
            "country" => lead.Country,
            "source" => lead.Source,
            "medium" => lead.Medium,
            "campaign" => lead.Campaign,
            "companyName" => lead.CompanyName,
            "emailDomain" => EmailDomain(lead.Email),
            _ => null,
        };
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    private static string? EmailDomain(string? email)
    {
        var at = email?.LastIndexOf('@') ?? -1;
        return at < 0 ? null : email![(at + 1)..].Trim().ToLowerInvariant();
    }

    private static IEnumerable<string> Tags(Lead lead) =>
        (lead.Tags ?? []).Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim());

    private static string? HeldTag(RoutingRule rule, Lead lead) => Tags(lead).FirstOrDefault(t => Matches(rule, t));

    private static bool Matches(RoutingRule rule, string value)
    {
        // Empty values are refused on input; skipped here so that contains "" cannot match every record.
        var wanted = (rule.Values ?? []).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v.Trim());
        return rule.Op switch
        {
            RuleOp.Equals => rule.Values is [var first, ..] && !string.IsNullOrWhiteSpace(first)
                && string.Equals(value, first.Trim(), StringComparison.OrdinalIgnoreCase),
            RuleOp.In => wanted.Any(v => string.Equals(value, v, StringComparison.OrdinalIgnoreCase)),
            RuleOp.Contains => wanted.Any(v => value.Contains(v, StringComparison.OrdinalIgnoreCase)),
            RuleOp.StartsWith => wanted.Any(v => value.StartsWith(v, StringComparison.OrdinalIgnoreCase)),
            _ => false,
        };
    }
}
