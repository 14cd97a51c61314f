namespace LeadFunctions.Domain.Leads;

/// <summary>Field → messages, the <c>errors</c> member of an RFC 9457 validation problem. Fields are camelCase as in JSON.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public bool IsEmpty => errors.Count == 0;

    public IReadOnlyCollection<string> Fields => errors.Keys;

    public void Add(string field, string message)
    {
        ArgumentException.ThrowIfNullOrEmpty(field);
        ArgumentException.ThrowIfNullOrEmpty(message);
        if (!errors.TryGetValue(field, out var messages))
        {
            errors[field] = messages = [];
        }
        if (!messages.Contains(message))
        {
            messages.Add(message);
        }
    }

    public bool Contains(string field) => errors.ContainsKey(field);

    public IReadOnlyList<string> For(string field) =>
        errors.TryGetValue(field, out var messages) ? messages : [];

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>Moves the messages of one field to another, for inputs that name a field differently.</summary>
    internal void Rename(string from, string to)
    {
        if (errors.Remove(from, out var messages))
        {
            foreach (var message in messages)
            {
                Add(to, message);
            }
        }
    }

    public override string ToString() =>
        string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"));
}
