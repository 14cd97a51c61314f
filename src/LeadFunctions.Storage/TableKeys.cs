using System.Security.Cryptography;
using System.Text;

namespace LeadFunctions.Storage;

/// <summary>
/// Makes any text safe as a PartitionKey or RowKey: Table Storage refuses / \ # ? and control
/// characters in keys, so they (and % itself) are percent-encoded; an over-long key is shortened
/// to a prefix plus a hash so that it stays unique and under the 1 KiB limit.
/// </summary>
public static class TableKeys
{
    private const int MaxLength = 512;

    public static string Escape(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c))
            {
                foreach (var b in Encoding.UTF8.GetBytes(c.ToString()))
                {
                    builder.Append('%').Append(b.ToString("X2"));
                }
            }
            else
            {
                builder.Append(c);
            }
        }
        if (builder.Length <= MaxLength)
        {
            return builder.ToString();
        }
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
        return string.Concat(builder.ToString(0, MaxLength - hash.Length - 1), "~", hash);
    }

    /// <summary>An upper bound for a range query over keys that start with <paramref name="prefix"/>.</summary>
    public static string PrefixEnd(string prefix) => prefix[..^1] + (char)(prefix[^1] + 1);
}
