using System.Security.Cryptography;
using System.Text;

namespace LeadFunctions.Functions.Tests.Features.Webhooks;

/// <summary>
/// A receiver's check of a delivery, written here from the Standard Webhooks specification (not
/// with the app's signing code): the signed content is "{webhook-id}.{webhook-timestamp}.{body}",
/// the key the base64 bytes after "whsec_", the header a space-separated list of "v1,{base64}"
/// signatures; the timestamp must be within five minutes.
/// </summary>
public static class StandardWebhooksVerifier
{
    public static bool Verify(string secret, LoopbackReceiver.Received request)
    {
        var id = request.Headers.GetValueOrDefault("webhook-id");
        var timestamp = request.Headers.GetValueOrDefault("webhook-timestamp");
        var signatures = request.Headers.GetValueOrDefault("webhook-signature");
        if (id is null || timestamp is null || signatures is null || !long.TryParse(timestamp, out var seconds)
            || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - seconds) > 300)
        {
            return false;
        }
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        using var hmac = new HMACSHA256(key);
        var expected = hmac.ComputeHash(Encoding.UTF8.GetBytes($"{id}.{timestamp}.{request.Body}"));
        return signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(s => s.StartsWith("v1,", StringComparison.Ordinal))
            .Any(s => CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(s[3..]), expected));
    }
}
