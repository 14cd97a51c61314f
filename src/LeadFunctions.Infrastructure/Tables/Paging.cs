using System.Buffers.Text;
using System.Text;

namespace LeadFunctions.Infrastructure.Tables;

/// <summary>A continuation token that is not one of ours.</summary>
public sealed class InvalidContinuationTokenException(string message) : Exception(message);

/// <summary>
/// Wraps the storage SDK's continuation tokens so that they travel safely in a URL and so that a
/// token made up by a client is refused as bad input instead of reaching storage.
/// </summary>
public static class ContinuationTokens
{
    private const string Marker = "lf1:";

    public static string? Wrap(string? token) =>
        token is null ? null : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Marker + token));

    public static string? Unwrap(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            if (text.StartsWith(Marker, StringComparison.Ordinal) && text.Length > Marker.Length && !text.Any(char.IsControl))
            {
                return text[Marker.Length..];
            }
        }
        catch (FormatException)
        {
        }
        throw new InvalidContinuationTokenException("The continuation token is not one this service issued.");
    }
}
