using Microsoft.Extensions.Caching.Memory;

namespace LeadFunctions.Infrastructure.Tables;

/// <summary>
/// A short-lived per-instance cache of rows read from storage. A read that was under way while
/// the row was written is returned to its caller but not cached, so that an instance never goes
/// on serving the value its own write replaced.
/// </summary>
public sealed class ReadThroughCache(IMemoryCache cache, TimeSpan lifetime)
{
    private readonly Lock gate = new();
    private long writes;

    public async Task<T> GetAsync<T>(object key, Func<Task<T>> read)
    {
        if (cache.TryGetValue(key, out T? hit))
        {
            return hit!;
        }
        long before;
        lock (gate)
        {
            before = writes;
        }
        var value = await read();
        lock (gate)
        {
            if (writes == before)
            {
                cache.Set(key, value, lifetime);
            }
        }
        return value;
    }

    /// <summary>Call after writing what <paramref name="key"/> caches.</summary>
    public void Forget(object key)
    {
        lock (gate)
        {
            writes++;
            cache.Remove(key);
        }
    }
}
