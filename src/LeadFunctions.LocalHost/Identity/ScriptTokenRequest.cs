using System.Text.Json;
using LeadFunctions.Domain.Access;

namespace LeadFunctions.LocalHost.Identity;

/// <summary>
/// <c>POST /.auth/dev/token</c> with a JSON body: a token for scripts and tests without a browser,
/// <c>{"email", "name"?, "roles"?, "audience"?, "expiresIn"?}</c>, or an application's own token
/// (Entra's client credentials) with <c>{"application", "roles"?, …}</c> instead of an email. Read
/// strictly, so a misspelt field ("role") is refused by name instead of quietly making a token without it.
/// </summary>
/// <param name="User">The person; null for an application's token.</param>
/// <param name="Application">The application's client id; null for a person's token.</param>
public sealed record ScriptTokenRequest(DevUser? User, string? Application, IReadOnlyList<Role>? ApplicationRoles, string? Audience, int ExpiresIn)
{
    public const int MaxApplicationLength = 100;

    public const int MaxExpiresIn = 86_400;
    public const int MaxBodyBytes = 16_384;

    private static readonly string[] Fields = ["email", "application", "name", "roles", "audience", "expiresIn"];

    /// <summary>The request, or the field at fault (<c>body</c> for the body as a whole) and why.</summary>
    public static async Task<(ScriptTokenRequest? Request, string? Field, string? Problem)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        var body = await ReadBodyAsync(request, ct);
        if (body is null)
        {
            return (null, "body", $"The body is larger than {MaxBodyBytes} bytes.");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return (null, "body", "The body is not JSON: send {\"email\": \"lea@sales.test\"}.");
        }
        using (document)
        {
            return Read(document.RootElement);
        }
    }

    private static (ScriptTokenRequest?, string?, string?) Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, "body", "The body must be a JSON object such as {\"email\": \"lea@sales.test\"}.");
        }
        foreach (var property in root.EnumerateObject())
        {
            if (!Fields.Contains(property.Name, StringComparer.Ordinal))
            {
                return (null, property.Name, $"'{property.Name}' is not a field of a token request: give {string.Join(", ", Fields)}.");
            }
        }

        if (!OptionalString(root, "application", out var application)
            || (application is not null && (application.Length is 0 or > MaxApplicationLength || !application.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_'))))
        {
            return (null, "application", $"application must be a client id of letters, digits, '-', '.' and '_' (at most {MaxApplicationLength}).");
        }
        if (application is not null && (root.TryGetProperty("email", out _) || root.TryGetProperty("name", out _)))
        {
            return (null, "application", "An application's token names no person: give application or email, not both.");
        }
        if (!OptionalString(root, "email", out var email) || (email is null && application is null))
        {
            return (null, "email", "Give the email of the person the token is for, such as lea@sales.test.");
        }
        if (!OptionalString(root, "name", out var name))
        {
            return (null, "name", "name must be a string.");
        }
        if (!OptionalString(root, "audience", out var audience) || audience?.Trim().Length == 0)
        {
            return (null, "audience", "audience must be a non-empty string, or left out for the app's Auth:Audience.");
        }
        List<string>? roles = null;
        if (root.TryGetProperty("roles", out var rolesElement) && rolesElement.ValueKind != JsonValueKind.Null)
        {
            if (rolesElement.ValueKind != JsonValueKind.Array || rolesElement.EnumerateArray().Any(r => r.ValueKind != JsonValueKind.String))
            {
                return (null, "roles", "roles must be an array of role names, such as [\"sales\"].");
            }
            roles = [.. rolesElement.EnumerateArray().Select(r => r.GetString()!)];
        }
        var expiresIn = (int)DevTokens.DefaultLifetime.TotalSeconds;
        if (root.TryGetProperty("expiresIn", out var expiresElement) && expiresElement.ValueKind != JsonValueKind.Null
            && !(expiresElement.ValueKind == JsonValueKind.Number && expiresElement.TryGetInt32(out expiresIn) && expiresIn is >= -MaxExpiresIn and <= MaxExpiresIn))
        {
            // Negative values are allowed on purpose: tests need a token that has already expired.
            return (null, "expiresIn", $"expiresIn must be whole seconds from {-MaxExpiresIn} to {MaxExpiresIn} (negative: already expired).");
        }

        if (application is not null)
        {
            var (appRoles, rolesProblem) = DevUser.ParseRoles(roles);
            return rolesProblem is null ? (new ScriptTokenRequest(null, application, appRoles, audience?.Trim(), expiresIn), null, null) : (null, "roles", rolesProblem);
        }
        var (user, field, problem) = DevUser.Create(email, name, roles);
        return user is null ? (null, field, problem) : (new ScriptTokenRequest(user, null, null, audience?.Trim(), expiresIn), null, null);
    }

    private static bool OptionalString(JsonElement root, string name, out string? value)
    {
        value = null;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }
        value = element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        return element.ValueKind == JsonValueKind.String;
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
