using LeadFunctions.Domain.Matching;

namespace LeadFunctions.Domain.Tests;

/// <summary>SPEC 4.2: names folded (case, accents, punctuation, white space, legal forms) for the name rules.</summary>
public sealed class NameFoldingTests
{
    [Theory]
    [InlineData("Jean-Luc Picard", 3)]
    [InlineData("Ann Lee", 2)]
    [InlineData("Madonna", 0)]
    [InlineData("Al Bo", 0)]
    [InlineData("Christopher", 0)]
    public void A_contact_name_needs_two_words_and_six_characters(string name, int words) =>
        (PersonNames.Words(name)?.Count ?? 0).Should().Be(words);
}
