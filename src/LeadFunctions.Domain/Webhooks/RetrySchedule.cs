namespace LeadFunctions.Domain.Webhooks;

/// <summary>
/// When a failed webhook delivery is tried again (SPEC 6): exponential backoff from the first
/// retry, doubling each time, for as long as the retry window lasts after the event was first
/// sent; the last try comes at the window's end, and a failure after it dead-letters the delivery.
/// </summary>
public static class RetrySchedule
{
    /// <returns>The next try after <paramref name="attempts"/> failed ones, or null: dead-letter.</returns>
    public static DateTimeOffset? Next(DateTimeOffset firstSentAt, int attempts, DateTimeOffset now, TimeSpan firstRetry, TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempts, 1);
        var end = firstSentAt + window;
        if (now >= end)
        {
            return null;
        }
        // 2^20 first retries are already far beyond any window allowed; capped so it cannot overflow.
        var delay = TimeSpan.FromTicks(firstRetry.Ticks * (1L << Math.Min(attempts - 1, 20)));
        var next = delay > end - now ? end : now + delay;
        return next;
    }
}
