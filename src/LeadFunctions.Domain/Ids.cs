using System.Security.Cryptography;

namespace LeadFunctions.Domain;

/// <summary>
/// Server-generated identifiers: ULIDs (Crockford base32, 26 characters), URL-safe, safe as Table
/// keys and ordered by creation time. Monotonic within a process, so two ids made in the same
/// millisecond still sort in creation order.
/// </summary>
public static class Ids
{
    internal const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static readonly Lock Gate = new();
    private static readonly byte[] Last = new byte[16];
    private static long lastMs = -1;

    public static string New() => New(DateTimeOffset.UtcNow);

    public static string New(DateTimeOffset now)
    {
        var bytes = new byte[16];
        var ms = now.ToUnixTimeMilliseconds();
        lock (Gate)
        {
            if (ms <= lastMs)
            {
                // Same (or earlier) millisecond: increment the previous id's random part.
                Last.CopyTo(bytes, 0);
                for (var i = 15; i >= 6; i--)
                {
                    if (++bytes[i] != 0)
                    {
                        break;
                    }
                }
            }
            else
            {
                lastMs = ms;
                for (var i = 5; i >= 0; i--)
                {
                    bytes[i] = (byte)(ms >> (8 * (5 - i)));
                }
                RandomNumberGenerator.Fill(bytes.AsSpan(6));
            }
            bytes.CopyTo(Last, 0);
        }
        return Encode(bytes);
    }

    /// <summary>The smallest id made at <paramref name="time"/> or later: ids made before it sort below it.</summary>
    public static string Floor(DateTimeOffset time)
    {
        var bytes = new byte[16];
        var ms = Math.Max(0, time.ToUnixTimeMilliseconds());
        for (var i = 5; i >= 0; i--)
        {
            bytes[i] = (byte)(ms >> (8 * (5 - i)));
        }
        return Encode(bytes);
    }

    /// <summary>
    /// The <paramref name="sequence"/>-th id derived from <paramref name="baseId"/>: the same
    /// creation time, a random part fixed by the base id and the sequence (in its last four bytes,
    /// so derived ids sort by sequence). Made again from the same inputs, it is the same id: how a
    /// retried import names the records of its rows.
    /// </summary>
    public static string Derived(string baseId, int sequence)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        var value = Decode(baseId);
        var bytes = new byte[16];
        value[..6].CopyTo(bytes);
        SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(baseId)).AsSpan(0, 6).CopyTo(bytes.AsSpan(6));
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), sequence);
        return Encode(bytes);
    }

    private static byte[] Decode(string id)
    {
        if (!IsWellFormed(id))
        {
            throw new ArgumentException("Not an id.", nameof(id));
        }
        var value = System.Numerics.BigInteger.Zero;
        foreach (var c in id)
        {
            value = (value << 5) | Alphabet.IndexOf(c, StringComparison.Ordinal);
        }
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var full = new byte[16];
        bytes.AsSpan(Math.Max(0, bytes.Length - 16)).CopyTo(full.AsSpan(16 - Math.Min(16, bytes.Length)));
        return full;
    }

    /// <summary>True when the text has the shape of an id made here; anything else cannot name a record.</summary>
    public static bool IsWellFormed(string? id) =>
        id is { Length: 26 } && id.All(c => Alphabet.Contains(c, StringComparison.Ordinal));

    /// <summary>A key that sorts in the opposite order of the id: newest first in a Table range query.</summary>
    public static string Descending(string id) =>
        string.Create(id.Length, id, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = Alphabet[31 - Alphabet.IndexOf(source[i], StringComparison.Ordinal)];
            }
        });

    private static string Encode(byte[] bytes)
    {
        // 128 bits as 26 base32 digits, the first carrying the 2 top bits.
        var value = new System.Numerics.BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        var chars = new char[26];
        for (var i = 25; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }
        return new string(chars);
    }
}
