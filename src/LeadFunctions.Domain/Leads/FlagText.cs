namespace LeadFunctions.Domain.Leads;

/// <summary>
/// A yes/no field written as text, where JSON's true and false are not available: a web form's
/// checkbox (posted as "on" when ticked, unless the page gives it a value) and a CSV column.
/// </summary>
public static class FlagText
{
    /// <returns>Null when the text is no yes or no: the caller refuses it, naming its field.</returns>
    public static bool? Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "true" or "on" or "yes" or "1" => true,
        "false" or "off" or "no" or "0" or "" => false,
        _ => null,
    };
}
