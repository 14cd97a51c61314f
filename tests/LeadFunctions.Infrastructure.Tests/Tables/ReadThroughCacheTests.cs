using LeadFunctions.Infrastructure.Tables;
using Microsoft.Extensions.Caching.Memory;

namespace LeadFunctions.Infrastructure.Tests.Tables;

public sealed class ReadThroughCacheTests : IDisposable
{
    private readonly MemoryCache memory = new(new MemoryCacheOptions());
    private readonly ReadThroughCache cache;

    public ReadThroughCacheTests() => cache = new ReadThroughCache(memory, TimeSpan.FromMinutes(1));

    public void Dispose() => memory.Dispose();

    [Fact]
    public async Task A_value_is_read_once_and_then_served_until_forgotten()
    {
        var reads = 0;
        Task<int> Read() => Task.FromResult(++reads);

        (await cache.GetAsync("k", Read)).Should().Be(1);
        (await cache.GetAsync("k", Read)).Should().Be(1);
        cache.Forget("k");
        (await cache.GetAsync("k", Read)).Should().Be(2);
    }

    [Fact]
    public async Task A_read_under_way_while_the_row_was_written_is_returned_but_not_cached()
    {
        var slowRead = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stale = cache.GetAsync("settings", () => slowRead.Task);

        cache.Forget("settings");
        slowRead.SetResult("before the write");

        (await stale).Should().Be("before the write");
        (await cache.GetAsync("settings", () => Task.FromResult("after the write"))).Should().Be("after the write");
    }
}
