using System.Buffers.Text;
using System.Text;
using Azure;
using Azure.Data.Tables;

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

/// <summary>Pages of a filtered query of any table, as the list routes give them.</summary>
public static class TablePages
{
    private const int MaxReadsPerPage = 10;

    public static async Task<Page<T>> ReadAsync<T>(TableClient table, string filter, int pageSize, string? continuationToken,
        Func<TableEntity, T> map, CancellationToken ct)
    {
        var token = ContinuationTokens.Unwrap(continuationToken);
        var items = new List<T>(pageSize);
        var reads = 0;
        // A filtered scan may return short (even empty) pages with a token: keep reading, asking
        // each time for what is missing, so that no item falls between two pages.
        do
        {
            var remaining = pageSize - items.Count;
            var pages = table.QueryAsync<TableEntity>(filter, maxPerPage: remaining, cancellationToken: ct).AsPages(token, remaining);
            await using var enumerator = pages.GetAsyncEnumerator(ct);
            try
            {
                if (!await enumerator.MoveNextAsync())
                {
                    token = null;
                    break;
                }
            }
            catch (RequestFailedException e) when (e.Status == 400 && continuationToken is not null)
            {
                throw new InvalidContinuationTokenException("The continuation token does not continue this list.");
            }
            items.AddRange(enumerator.Current.Values.Select(map));
            token = enumerator.Current.ContinuationToken;
        }
        // A sparse filter may need many reads to fill a page: after MaxReadsPerPage the page goes
        // back short, with a token, rather than keep the request waiting.
        while (items.Count < pageSize && token is not null && ++reads < MaxReadsPerPage);
        return new Page<T>(items, ContinuationTokens.Wrap(token));
    }
}
