using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Merging;

/// <summary>
/// The field rules of SPEC 4.4, applied to records already in merge order (survivor first, then the
/// others by creation). A field picked by the request (fieldSources) takes that record's own value,
/// even an empty one: the user chose it on purpose.
/// </summary>
internal static class FieldMerge
{
    public const string Address = "address";
    public const string Description = "description";
    public const string Tags = "tags";
    public const string Priority = "priority";
    public const string Probability = "probability";
    public const string ExpectedRevenue = "expectedRevenue";
    public const string ConvertedAt = "convertedAt";
    public const string UserId = "userId";
    public const string TeamId = "teamId";
    public const string LostReason = "lostReason";

    /// <summary>Separates joined descriptions: a blank line, so each record's text stays a paragraph.</summary>
    public const string DescriptionSeparator = "\n\n";

    private sealed record TextField(string Name, Func<Lead, string?> Get, Action<Lead, string?> Set);

    private static readonly TextField[] TextFields =
    [
        new("name", l => l.Name, (l, v) => l.Name = v),
        new("contactName", l => l.ContactName, (l, v) => l.ContactName = v),
        new("email", l => l.Email, (l, v) => l.Email = v),
        new("phone", l => l.Phone, (l, v) => l.Phone = v),
        new("companyName", l => l.CompanyName, (l, v) => l.CompanyName = v),
        new("website", l => l.Website, (l, v) => l.Website = v),
        new(UserId, l => l.UserId, (l, v) => l.UserId = v),
        new(TeamId, l => l.TeamId, (l, v) => l.TeamId = v),
        new("customerId", l => l.CustomerId, (l, v) => l.CustomerId = v),
        new("source", l => l.Source, (l, v) => l.Source = v),
        new("medium", l => l.Medium, (l, v) => l.Medium = v),
        new("campaign", l => l.Campaign, (l, v) => l.Campaign = v),
        new(LostReason, l => l.LostReason, (l, v) => l.LostReason = v),
    ];

    /// <summary>
    /// The fields a merge combines, in the order of SPEC 3. The address is one entry because it moves
    /// as a block: a street from one record and a city from another would be an address nobody has.
    /// type and status are left out: they follow from the records (any opportunity, any active) and
    /// are not a value to pick. The consent flags come last: a pick names them but cannot weaken them.
    /// </summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "name", "contactName", "email", "phone", "companyName", "website", Address, Description, Tags,
        Priority, ExpectedRevenue, Probability, UserId, TeamId, "customerId", "source", "medium",
        "campaign", LostReason, ConvertedAt, .. ConsentMerge.Names,
    ];

    /// <summary>Sets every mergeable field of <paramref name="result"/>; answers field → source record id, in <see cref="Names"/> order.</summary>
    public static Dictionary<string, string> Apply(Lead result, IReadOnlyList<Lead> ordered, IReadOnlyDictionary<string, Lead> picked)
    {
        var survivor = ordered[0];
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);

        foreach (var field in TextFields)
        {
            var source = picked.GetValueOrDefault(field.Name) ?? FirstFilled(ordered, l => Filled(field.Get(l)));
            field.Set(result, field.Get(source));
            sources[field.Name] = source.Id;
        }

        // 0 counts as empty (SPEC 4.4): an unknown revenue must not hide a known one.
        var revenue = picked.GetValueOrDefault(ExpectedRevenue) ?? FirstFilled(ordered, l => l.ExpectedRevenue != 0m);
        result.ExpectedRevenue = revenue.ExpectedRevenue;
        sources[ExpectedRevenue] = revenue.Id;

        var converted = picked.GetValueOrDefault(ConvertedAt) ?? FirstFilled(ordered, l => l.ConvertedAt is not null);
        result.ConvertedAt = converted.ConvertedAt;
        sources[ConvertedAt] = converted.Id;

        var address = picked.GetValueOrDefault(Address) ?? Fullest(ordered);
        CopyAddress(address, result);
        sources[Address] = address.Id;

        sources[Description] = MergeDescription(result, ordered, picked.GetValueOrDefault(Description));
        sources[Tags] = MergeTags(result, ordered, picked.GetValueOrDefault(Tags));

        // The highest priority; a tie names the earliest record in merge order.
        var highest = ordered.Max(l => l.Priority);
        var priority = picked.GetValueOrDefault(Priority) ?? ordered.First(l => l.Priority == highest);
        result.Priority = priority.Priority;
        sources[Priority] = priority.Id;

        // Probability is a salesperson's estimate for this very deal: it stays the survivor's.
        var probability = picked.GetValueOrDefault(Probability) ?? survivor;
        result.Probability = probability.Probability;
        sources[Probability] = probability.Id;

        ConsentMerge.Apply(result, ordered, picked, sources);

        return Names.ToDictionary(name => name, name => sources[name], StringComparer.Ordinal);
    }

    public static bool Filled(string? value) => !string.IsNullOrWhiteSpace(value);

    /// <summary>The first record with the field filled; the survivor when none has it, so an empty field stays the survivor's own.</summary>
    private static Lead FirstFilled(IReadOnlyList<Lead> ordered, Func<Lead, bool> filled) =>
        ordered.FirstOrDefault(filled) ?? ordered[0];

    private static int AddressFields(Lead lead) =>
        new[] { lead.Street, lead.City, lead.Zip, lead.State, lead.Country }.Count(Filled);

    /// <summary>The record with the most address fields filled; only a strictly fuller one beats an earlier one.</summary>
    private static Lead Fullest(IReadOnlyList<Lead> ordered)
    {
        var best = ordered[0];
        foreach (var lead in ordered.Skip(1))
        {
            if (AddressFields(lead) > AddressFields(best))
            {
                best = lead;
            }
        }
        return best;
    }

    private static void CopyAddress(Lead from, Lead to)
    {
        to.Street = from.Street;
        to.City = from.City;
        to.Zip = from.Zip;
        to.State = from.State;
        to.Country = from.Country;
    }

    /// <summary>
    /// All non-empty descriptions in merge order, each kept as written. The source is the only record
    /// that wrote one; when several did (or none), the survivor, which receives the joined text.
    /// </summary>
    private static string MergeDescription(Lead result, IReadOnlyList<Lead> ordered, Lead? picked)
    {
        if (picked is not null)
        {
            result.Description = picked.Description;
            return picked.Id;
        }
        var writers = ordered.Where(l => Filled(l.Description)).ToList();
        result.Description = writers.Count == 0
            ? ordered[0].Description
            : string.Join(DescriptionSeparator, writers.Select(l => l.Description));
        return writers.Count == 1 ? writers[0].Id : ordered[0].Id;
    }

    /// <summary>
    /// The union of the tags in merge order: trimmed, blank ones dropped, the first spelling kept
    /// (case-sensitive, like the stored tags). The source is the only record that contributed a tag;
    /// otherwise the survivor.
    /// </summary>
    private static string MergeTags(Lead result, IReadOnlyList<Lead> ordered, Lead? picked)
    {
        IReadOnlyList<Lead> from = picked is null ? ordered : [picked];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var contributors = new List<Lead>();
        result.Tags = [];
        foreach (var lead in from)
        {
            foreach (var tag in lead.Tags.Where(Filled).Select(t => t.Trim()))
            {
                if (seen.Add(tag))
                {
                    result.Tags.Add(tag);
                    if (!contributors.Contains(lead))
                    {
                        contributors.Add(lead);
                    }
                }
            }
        }
        return picked?.Id ?? (contributors.Count == 1 ? contributors[0].Id : ordered[0].Id);
    }
}
