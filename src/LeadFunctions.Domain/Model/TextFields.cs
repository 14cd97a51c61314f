using System.Reflection;

namespace LeadFunctions.Domain.Model;

/// <summary>
/// Copies text fields by the interface that names them, not a line per field, so that a field
/// added to the interface is copied wherever the others are.
/// </summary>
public static class TextFields
{
    private static readonly PropertyInfo[] Contact = typeof(IContactDetails).GetProperties();

    // An interface's own properties leave out those of the interfaces it extends.
    private static readonly PropertyInfo[] LeadText = [.. typeof(ILeadText).GetProperties(), .. Contact];

    /// <summary>The contact details as they are, e.g. onto a customer made from a lead.</summary>
    public static void CopyContactTo(this IContactDetails from, IContactDetails to) => Copy(Contact, from, to, text => text);

    /// <summary>Every text field of a record or its input, each through <paramref name="value"/>.</summary>
    public static void CopyTextTo(this ILeadText from, ILeadText to, Func<string?, string?> value) => Copy(LeadText, from, to, value);

    private static void Copy(PropertyInfo[] fields, object from, object to, Func<string?, string?> value)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        foreach (var field in fields)
        {
            field.SetValue(to, value((string?)field.GetValue(from)));
        }
    }
}
