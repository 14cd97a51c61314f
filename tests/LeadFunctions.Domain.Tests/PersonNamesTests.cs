using LeadFunctions.Domain.Matching;

namespace LeadFunctions.Domain.Tests;

public sealed class PersonNamesTests
{
    [Theory]
    [InlineData("John Smith", "JOHN SMITH", NameAgreement.Same)]
    [InlineData("José Müller", "Jose Muller", NameAgreement.Same)]
    [InlineData("Jean-Luc Picard", "jean luc PICARD", NameAgreement.Same)]
    [InlineData("John Smith", "Smith John", NameAgreement.Swapped)]
    [InlineData("John Smith", "Smith, John", NameAgreement.Swapped)]
    [InlineData("William Turner", "Bill Turner", NameAgreement.Nickname)]
    [InlineData("Bob Marley", "Robert Marley", NameAgreement.Nickname)]
    [InlineData("Marley, Bob", "Robert Marley", NameAgreement.Nickname)]
    [InlineData("John Smith", "J. Smith", NameAgreement.Initial)]
    [InlineData("Marks Marcel", "M Marks", NameAgreement.Initial)]
    [InlineData("Ann Lee", "A. Lee", NameAgreement.Initial)]
    [InlineData("Lefèvre, Ann-Sophie", "Ann-Sophie Lefevre", NameAgreement.Swapped)]
    [InlineData("John Smith", "John Smitg", NameAgreement.Typo)]
    [InlineData("John Smith", "Jonh Smith", NameAgreement.Typo)]
    [InlineData("Catherine Schmidt", "Catherine Schmitt", NameAgreement.Typo)]
    [InlineData("Jonathan Smith", "Jonathon Smitg", NameAgreement.Faint)]
    [InlineData("John Smith", "Mary Smith", NameAgreement.SameFamilyOtherGiven)]
    [InlineData("John Smith", "John Baker", NameAgreement.SameGivenOtherFamily)]
    [InlineData("John Smith", "Mary Baker", NameAgreement.Different)]
    [InlineData("Maria Garcia", "Mario Garcia", NameAgreement.SameFamilyOtherGiven)]
    [InlineData("Daniel Weber", "Daniela Weber", NameAgreement.SameFamilyOtherGiven)]
    [InlineData("Иван Петров", "Иван Смирнов", NameAgreement.SameGivenOtherFamily)]
    [InlineData("Madonna", "Madonna Ciccone", NameAgreement.Unknown)]
    [InlineData(null, "John Smith", NameAgreement.Unknown)]
    public void Two_names_agree_as_their_best_reading_says_whichever_comes_first(string? a, string? b, NameAgreement agreement)
    {
        PersonNames.Compare(a, b).Should().Be(agreement);
        PersonNames.Compare(b, a).Should().Be(agreement, "a pair scores the same whichever record is checked");
    }

    [Theory]
    [InlineData("John Smith", "JOHN SMITH")]
    [InlineData("José Müller", "Jose Muller")]
    [InlineData("John Smith", "Smith John")]
    [InlineData("William Turner", "Bill Turner")]
    [InlineData("Catherine Schmidt", "Catherine Schmitt")]
    [InlineData("Jonh Smith", "John Smith")]
    public void Names_of_one_person_written_otherwise_share_an_index_key(string a, string b) =>
        PersonNames.Keys(a).Intersect(PersonNames.Keys(b)).Should().NotBeEmpty();

    [Fact]
    public void A_name_has_one_key_and_a_single_word_none()
    {
        PersonNames.Keys("John Smith").Should().Equal("s:25 253");
        PersonNames.Keys("Иван Петров").Should().NotEqual(PersonNames.Keys("Иван Смирнов"), "letters the sound table does not know stay as they are");
        PersonNames.Keys("Madonna").Should().BeEmpty();
        PersonNames.Keys(null).Should().BeEmpty();
    }

    [Fact]
    public void Frequent_family_names_are_known_and_rare_ones_are_not()
    {
        PersonNames.HasCommonFamilyName("Ann Smith").Should().BeTrue();
        PersonNames.HasCommonFamilyName("Anna Müller").Should().BeTrue();
        PersonNames.HasCommonFamilyName("Ann Quaglieri").Should().BeFalse();
    }

    [Theory]
    [InlineData("bill", "william", true)]
    [InlineData("alex", "alejandro", true)]
    [InlineData("alex", "alexandra", true)]
    [InlineData("peggy", "margaret", true)]
    [InlineData("ann", "mary", false)]
    public void Nicknames_go_by_their_formal_names(string a, string b, bool same) =>
        Nicknames.Same(a, b).Should().Be(same);

    [Theory]
    [InlineData("schmidt", "schmitt")]
    [InlineData("catherine", "kathryn")]
    [InlineData("philips", "filips")]
    public void Like_sounding_words_share_a_sound_key(string a, string b) =>
        Phonetic.Code(a).Should().Be(Phonetic.Code(b));
}
