using LeadFunctions.Domain;

namespace LeadFunctions.Domain.Tests;

public sealed class IdsTests
{
    [Fact]
    public void Ids_made_in_sequence_sort_in_creation_order_even_within_one_millisecond()
    {
        var now = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, 1000).Select(_ => Ids.New(now)).ToList();
        ids.Should().BeInAscendingOrder(StringComparer.Ordinal).And.OnlyHaveUniqueItems();
        ids.Should().AllSatisfy(id => Ids.IsWellFormed(id).Should().BeTrue());
    }

    [Fact]
    public void Later_time_gives_a_greater_id_and_descending_keys_reverse_the_order()
    {
        var a = Ids.New(DateTimeOffset.UtcNow.AddSeconds(1));
        var b = Ids.New(DateTimeOffset.UtcNow.AddSeconds(2));
        string.CompareOrdinal(a, b).Should().BeNegative();
        string.CompareOrdinal(Ids.Descending(a), Ids.Descending(b)).Should().BePositive();
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("01ARZ3NDEKTSV4RRFFQ69G5FA/")]
    [InlineData("01ARZ3NDEKTSV4RRFFQ69G5FAU")]
    public void Malformed_ids_are_recognised(string id) => Ids.IsWellFormed(id).Should().BeFalse();
}
