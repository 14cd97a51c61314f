
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

    [Fact]
    public void Derived_ids_are_the_same_when_made_again_keep_the_base_time_and_sort_by_sequence()
    {
        var first = Ids.New();
        var other = Ids.New();

        var derived = Enumerable.Range(0, 300).Select(i => Ids.Derived(first, i)).ToList();

        derived.Should().Equal(Enumerable.Range(0, 300).Select(i => Ids.Derived(first, i)), "the same inputs make the same ids");
        derived.Should().OnlyHaveUniqueItems().And.BeInAscendingOrder(StringComparer.Ordinal);
        derived.Should().AllSatisfy(id => Ids.IsWellFormed(id).Should().BeTrue());
        derived.Should().AllSatisfy(id => id[..10].Should().Be(first[..10], "the creation time is the base id's"));
        Ids.Derived(other, 0).Should().NotBe(derived[0]);
    }
}
