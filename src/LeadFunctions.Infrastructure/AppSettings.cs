namespace LeadFunctions.Infrastructure;

/// <summary>How a problem with a setting names it, wherever the setting is read.</summary>
public static class AppSettings
{
    /// <summary>The name an operator types: app settings use "__" where configuration keys use ":".</summary>
    public static string Named(string key) => $"{key} (app setting {key.Replace(":", "__", StringComparison.Ordinal)})";
}
