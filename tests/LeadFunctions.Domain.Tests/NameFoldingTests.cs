using LeadFunctions.Domain.Matching;

namespace LeadFunctions.Domain.Tests;

/// <summary>SPEC 4.2: names folded (case, accents, punctuation, white space, legal forms) for the name rules.</summary>
public sealed class NameFoldingTests
{
    [Theory]
    [InlineData("Jean-Luc Picard", "jean luc picard")]
    [InlineData("  jean   luc\tPICARD ", "jean luc picard")]
    [InlineData("Zoë Ærøskøbing", "zoe ærøskøbing")]
    [InlineData("José María Núñez", "jose maria nunez")]
    [InlineData("O'Brien & Sons", "obrien sons")]
    [InlineData("Ｆｕｌｌｗｉｄｔｈ", "fullwidth")]
    [InlineData("株式会社 トヨタ", "株式会社 トヨタ")]
    [InlineData("!!!", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Case_accents_punctuation_and_spacing_fold_away(string? name, string? folded) =>
        NameFolding.Fold(name).Should().Be(folded);

    [Theory]
    [InlineData("Acme\uFFFEWidgets", "acme widgets")]
    [InlineData("Acme\uFFFFWidgets Café", "acme widgets cafe")]
    [InlineData("Jean\uD800 Luc", "jean luc")]
    [InlineData("\uDC00Zoë\uFFFE", "zoe")]
    public void Text_net_cannot_normalize_folds_what_it_can_and_skips_the_rest(string name, string folded) =>
        NameFolding.Fold(name).Should().Be(folded);

    [Fact]
    public void Keys_of_text_net_cannot_normalize_are_made_from_the_rest()
    {
        NameFolding.CompanyKey("Acme\uFFFEWidgets Inc").Should().Be("acme widgets");
        NameFolding.ContactKey("Jean\uFFFELuc Picard").Should().Be("jean luc picard");
    }

    [Theory]
    [InlineData("Globex Industries, Inc.", "globex industries")]
    [InlineData("GLOBEX industries", "globex industries")]
    [InlineData("Initech LLC", "initech")]
    [InlineData("Müller Maschinenbau GmbH", "muller maschinenbau")]
    [InlineData("Société Générale S.A.", "societe generale")]
    [InlineData("Boulangerie Dupont SARL", "boulangerie dupont")]
    [InlineData("Philips Nederland B.V.", "philips nederland")]
    [InlineData("Foo Bar Co. Ltd", "foo bar")]
    [InlineData("Acme Corporation", "acme")]
    public void A_company_name_drops_its_legal_form(string name, string? key) =>
        NameFolding.CompanyKey(name).Should().Be(key?.Length >= 6 ? key : null);

    [Theory]
    [InlineData("Wong Co")]
    [InlineData("Wong Co.")]
    [InlineData("Acme Inc")]
    [InlineData("IBM")]
    public void A_company_name_under_six_characters_once_folded_gives_no_key(string name) =>
        NameFolding.CompanyKey(name).Should().BeNull();

    [Fact]
    public void A_legal_form_alone_is_kept_as_the_name()
    {
        NameFolding.CompanyKey("Limited").Should().Be("limited");
    }

    [Theory]
    [InlineData("Jean-Luc Picard", "jean luc picard")]
    [InlineData("jean luc PICARD", "jean luc picard")]
    [InlineData("Ann Lee", "ann lee")]
    [InlineData("Madonna", null)]
    [InlineData("Al Bo", null)]
    [InlineData("Christopher", null)]
    public void A_contact_name_needs_two_words_and_six_characters(string name, string? key) =>
        NameFolding.ContactKey(name).Should().Be(key);
}
