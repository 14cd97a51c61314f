using System.Reflection;

namespace LeadFunctions.Domain.Model;

/// <summary>
/// Copies text fields by the base class that declares them, not a line per field, so that a field
/// added to the class is copied wherever the others are.
/// </summary>
public static class TextFields
{
    private static readonly PropertyInfo[] Contact = typeof(ContactDetails).GetProperties();

    // A class's properties include those it inherits: the contact details too.
    private static readonly PropertyInfo[] Text = typeof(LeadText).GetProperties();

    /// <summary>The contact details as they are, e.g. onto a customer made from a lead.</summary>
    public static void CopyContactTo(this ContactDetails from, ContactDetails to) => Copy(Contact, from, to, text => text);

    /// <summary>Every text field of a record or its input, each through <paramref name="value"/>.</summary>
    public static void CopyTextTo(this LeadText from, LeadText to, Func<string?, string?> value) => Copy(Text, from, to, value);

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
