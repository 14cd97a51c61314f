using System.Security.Cryptography;
using System.Text;
using LeadFunctions.Domain.Access;
using LeadFunctions.Domain.Matching;
using Microsoft.IdentityModel.Tokens;

namespace LeadFunctions.LocalHost.Identity;

/// <summary>
/// The person a local token names. Their ids come from the email alone, so the same email gets the
/// same <c>oid</c> and <c>sub</c> on every machine and after every restart, as a real account keeps them.
/// </summary>
public sealed record DevUser
{
    public const int MaxNameLength = 200;

    /// <summary>The namespace of the name-based object ids (RFC 9562 UUID version 5); any fixed value would do.</summary>
    private static readonly Guid ObjectIdNamespace = new("0b4f3d2e-9a61-4c8e-b7a5-2f6d1e8c4a90");

    private DevUser(string email, string name, IReadOnlyList<Role>? roles)
    {
        Email = email;
        Name = name;
        Roles = roles;
        ObjectId = NameBasedGuid(ObjectIdNamespace, email);
        Subject = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes($"{DevIdentity.TenantId:D}/{email}")));
    }

    /// <summary>Lower-cased, as the app compares emails.</summary>
    public string Email { get; }

    public string Name { get; }

    /// <summary>Null: a token without a roles claim, so the app's directory fallback decides.</summary>
    public IReadOnlyList<Role>? Roles { get; }

    public Guid ObjectId { get; }

    public string Subject { get; }

    /// <summary>The user, or the reason the input is not one, naming the field.</summary>
    public static (DevUser? User, string? Field, string? Problem) Create(string? email, string? name, IEnumerable<string>? roles)
    {
        var normalized = EmailAddress.Normalize(email);
        // A bare address only: "Lea <lea@x.test>" would make a token whose email claim nobody typed.
        if (normalized is null || !string.Equals(normalized, email?.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            return (null, "email", "Give one email address, such as lea@sales.test.");
        }

        name = string.IsNullOrWhiteSpace(name) ? normalized[..normalized.IndexOf('@', StringComparison.Ordinal)] : name.Trim();
        if (name.Length > MaxNameLength || name.Any(char.IsControl))
        {
            return (null, "name", $"Give a display name of at most {MaxNameLength} characters, without control characters.");
        }

        var (parsed, problem) = ParseRoles(roles);
        return problem is null ? (new DevUser(normalized, name, parsed), null, null) : (null, "roles", problem);
    }

    /// <summary>The roles named, once each; null when none were given (no roles claim).</summary>
    public static (IReadOnlyList<Role>? Roles, string? Problem) ParseRoles(IEnumerable<string>? roles)
    {
        if (roles is null)
        {
            return (null, null);
        }
        var parsed = new List<Role>();
        foreach (var text in roles)
        {
            if (Domain.Access.Roles.Parse(text) is not { } role)
            {
                return (null, $"'{text}' is not a role: give any of {string.Join(", ", Domain.Access.Roles.Names)}.");
            }
            if (!parsed.Contains(role))
            {
                parsed.Add(role);
            }
        }
        return (parsed, null);
    }

    /// <summary>A stable object id for an application's name, as its service principal keeps one.</summary>
    public static Guid ApplicationObjectId(string application) => NameBasedGuid(ObjectIdNamespace, "application:" + application);

    /// <summary>RFC 9562 version 5: SHA-1 of the namespace and the name, with the version and variant bits set.</summary>
    private static Guid NameBasedGuid(Guid space, string name)
    {
        var spaceBytes = space.ToByteArray(bigEndian: true);
        var nameBytes = Encoding.UTF8.GetBytes(name);
#pragma warning disable CA5350 // SHA-1 is what version 5 is defined with; it names, it does not protect.
        var hash = SHA1.HashData([.. spaceBytes, .. nameBytes]);
#pragma warning restore CA5350
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
