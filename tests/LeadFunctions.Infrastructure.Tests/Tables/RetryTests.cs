using Azure;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Infrastructure.Tests.Tables;

/// <summary>What callers of Retry count on: how many tries, which exceptions, and that the last one reaches them as thrown.</summary>
public sealed class RetryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_conflict_is_tried_again_until_a_try_gets_through()
    {
        var tries = 0;
        var result = await Retry.OnConflictAsync(_ => ++tries < 3 ? throw new ConcurrencyException("r") : ValueTask.FromResult("done"), Ct);

        result.Should().Be("done");
        tries.Should().Be(3);
    }

    [Fact]
    public async Task The_last_tries_conflict_reaches_the_caller_as_it_was_thrown()
    {
        var thrown = new List<Exception>();
        var act = () => Retry.OnConflictAsync(_ =>
        {
            var e = new ConcurrencyException("r");
            thrown.Add(e);
            throw e;
        }, Ct).AsTask();

        (await act.Should().ThrowExactlyAsync<ConcurrencyException>()).Which.Should().BeSameAs(thrown[^1]);
        thrown.Should().HaveCount(Retry.Attempts);
    }

    [Fact]
    public async Task Anything_but_a_conflict_is_thrown_at_once()
    {
        var tries = 0;
        var act = () => Retry.OnConflictAsync(_ =>
        {
            tries++;
            throw new RequestFailedException(412, "precondition failed");
        }, Ct).AsTask();

        await act.Should().ThrowExactlyAsync<RequestFailedException>();
        tries.Should().Be(1);
    }

    [Fact]
    public async Task A_caller_names_its_conflicts_its_count_and_its_pauses()
    {
        var tries = 0;
        var pauses = new List<int>();
        var retried = 0;
        var act = () => Retry.OnConflictAsync(_ =>
        {
            tries++;
            throw new RequestFailedException(404, "gone");
        }, Ct, attempts: 3,
            conflict: e => e is RequestFailedException { Status: 404 },
            pause: attempt =>
            {
                pauses.Add(attempt);
                return TimeSpan.FromMilliseconds(1);
            },
            onRetry: _ => retried++).AsTask();

        await act.Should().ThrowExactlyAsync<RequestFailedException>();
        tries.Should().Be(3);
        pauses.Should().Equal(1, 2);
        retried.Should().Be(2);
    }

    [Fact]
    public async Task A_cancelled_token_ends_the_tries()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var tries = 0;
        var act = () => Retry.OnConflictAsync(_ =>
        {
            tries++;
            cancel.Cancel();
            throw new ConcurrencyException("r");
        }, cancel.Token).AsTask();

        await act.Should().ThrowAsync<OperationCanceledException>();
        tries.Should().Be(1);
    }
}
