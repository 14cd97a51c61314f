using System.Security.Cryptography;
using System.Text;

namespace LeadFunctions.Infrastructure.Tables;

/// <summary>
/// Makes any text safe as a PartitionKey or RowKey: Table Storage refuses / \ # ? and control
/// characters in keys, so they (and % itself) are percent-encoded; an over-long key is shortened
/// to a prefix, "~" and a hash so that it stays unique and under the 1 KiB limit ("~" is escaped
/// in every other key, so a shortened key can never equal an escaped one).
/// </summary>
public static class TableKeys
{
    private const int MaxLength = 512;

    public static string Escape(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '/' or '\\' or '#' or '?' or '%' or '~' || char.IsControl(c))
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
        var cut = MaxLength - hash.Length - 1;
        if (char.IsHighSurrogate(builder[cut - 1]))
        {
            // Never keep half of a surrogate pair: storage would replace it.
            cut--;
        }
        return string.Concat(builder.ToString(0, cut), "~", hash);
    }

    /// <summary>An upper bound for a range query over keys that start with <paramref name="prefix"/>.</summary>
    public static string PrefixEnd(string prefix) => prefix[..^1] + (char)(prefix[^1] + 1);
}
