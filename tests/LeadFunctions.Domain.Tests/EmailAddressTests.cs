using LeadFunctions.Domain.Matching;

namespace LeadFunctions.Domain.Tests;

public sealed class EmailAddressTests
{
    [Theory]
    [InlineData("Ann.Lee@Acme-Corp.test")]
    [InlineData("\"Ann L\" <ann.lee@acme-corp.test>")]
    [InlineData("Ann L <Ann.Lee@acme-corp.test>")]
    [InlineData("  ann.lee@acme-corp.test \t")]
    [InlineData("<ann.lee@acme-corp.test>")]
    [InlineData("\"Lee, Ann\" <ann.lee@acme-corp.test>")]
    [InlineData("Ann L < ann.lee@acme-corp.test >")]
    public void Case_spacing_and_display_name_forms_normalize_to_the_same_address(string raw) =>
        EmailAddress.Normalize(raw).Should().Be("ann.lee@acme-corp.test");

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("ann")]
    [InlineData("ann@")]
    [InlineData("@acme.test")]
    [InlineData("ann@localhost")]
    [InlineData("ann@acme")]
    [InlineData("ann@@acme.test")]
    [InlineData("ann@bob@acme.test")]
    [InlineData("ann lee@acme.test")]
    [InlineData("ann@acme .test")]
    [InlineData("ann@acme..test")]
    [InlineData("ann@.acme.test")]
    [InlineData("ann@acme.test.")]
    [InlineData("ann.@acme.test")]
    [InlineData(".ann@acme.test")]
    [InlineData("an..n@acme.test")]
    [InlineData("ann@-acme.test")]
    [InlineData("ann@acme-.test")]
    [InlineData("ann@[10.0.0.1]")]
    [InlineData("ann@10.0.0.1")]
    [InlineData("\"ann lee\"@acme.test")]
    [InlineData("ann@acme.test, bob@acme.test")]
    [InlineData("ann@acme.test; bob@acme.test")]
    [InlineData("ann@acme.test (Ann)")]
    [InlineData("Ann <ann@acme.test> trailing")]
    [InlineData("bob@acme.test <ann@acme.test>")]
    [InlineData("Ann <ann@acme.test")]
    [InlineData("ann\u0000@acme.test")]
    [InlineData("ann@acme\u0007.test")]
    [InlineData("ann@ac\u0085me.test")]
    public void Implausible_addresses_do_not_normalize(string? raw) => EmailAddress.Normalize(raw).Should().BeNull();

    [Fact]
    public void An_address_longer_than_254_characters_does_not_normalize()
    {
        var domain = string.Join('.', Enumerable.Repeat(new string('d', 61), 4)) + ".test"; // 252 characters
        EmailAddress.Normalize("ab@" + domain).Should().BeNull();
        EmailAddress.Normalize("a@" + domain).Should().HaveLength(254);
    }

    [Fact]
    public void A_local_part_longer_than_64_characters_does_not_normalize()
    {
        EmailAddress.Normalize(new string('a', 64) + "@acme.test").Should().NotBeNull();
        EmailAddress.Normalize(new string('a', 65) + "@acme.test").Should().BeNull();
    }

    [Fact]
    public void Plus_tags_hyphens_and_international_domains_are_kept()
    {
        EmailAddress.Normalize("Ann+News@Sub.Acme-Corp.Test").Should().Be("ann+news@sub.acme-corp.test");
        EmailAddress.Normalize("ann@münchen.test").Should().Be("ann@münchen.test");
    }

    [Theory]
    [InlineData("ann@acme-corp.test", "acme-corp.test")]
    [InlineData("ann@sub.acme.test", "sub.acme.test")]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("ann", null)]
    [InlineData("ann@", null)]
    public void Domain_is_the_part_after_the_at_sign(string? normalized, string? domain) =>
        EmailAddress.DomainOf(normalized).Should().Be(domain);

    [Theory]
    [InlineData("ann@gmail.com")]
    [InlineData("a.n.n@gmail.com")]
    [InlineData("ann+news@gmail.com")]
    [InlineData("a.n.n+news+more@gmail.com")]
    [InlineData("a.n.n+news@googlemail.com")]
    [InlineData("ann@googlemail.com")]
    public void Gmail_dot_and_plus_variants_and_googlemail_share_one_canonical_alias(string normalized) =>
        EmailAddress.CanonicalAlias(normalized).Should().Be("ann@gmail.com");

    [Theory]
    [InlineData("a.n.n+news@outlook.com")]
    [InlineData("ann.lee@acme-corp.test")]
    [InlineData("ann+news@yahoo.com")]
    [InlineData("ann@gmail.com.evil.test")]
    [InlineData("ann@notgmail.com")]
    [InlineData("+news@gmail.com")]
    [InlineData("...@gmail.com")]
    [InlineData("ann")]
    [InlineData(null)]
    public void Other_providers_and_empty_mailboxes_have_no_canonical_alias(string? normalized) =>
        EmailAddress.CanonicalAlias(normalized).Should().BeNull();

    [Fact]
    public void Raw_gmail_variants_reach_the_same_alias_after_normalization()
    {
        var a = EmailAddress.CanonicalAlias(EmailAddress.Normalize("\"Ann\" <A.N.N+Promo@GoogleMail.com>"));
        var b = EmailAddress.CanonicalAlias(EmailAddress.Normalize("ann@gmail.com"));
        a.Should().Be("ann@gmail.com").And.Be(b);
    }

    [Theory]
    [InlineData("\"Amy, PhD Student, Wong\" Tiny <AMY.WONG@wong.test>", "amy.wong@wong.test")]
    [InlineData("\"Wong, Amy\" <AMY@x.test>", "amy@x.test")]
    [InlineData("Amy <amy@x.test>", "amy@x.test")]
    [InlineData("Dr. Amy Wong <amy@x.test>", "amy@x.test")]
    [InlineData("Amy (work) <amy@x.test>", "amy@x.test")]
    [InlineData("\"a@b, c\" <amy@x.test>", "amy@x.test")]
    [InlineData("\"Quote \\\" inside\" <amy@x.test>", "amy@x.test")]
    [InlineData("<amy@x.test>", "amy@x.test")]
    public void Any_display_name_form_gives_its_address(string raw, string expected) =>
        EmailAddress.Normalize(raw).Should().Be(expected);

    [Theory]
    [InlineData("Amy, Wong <amy@x.test>")]
    [InlineData("amy@x.test, bob@y.test")]
    [InlineData("Amy <amy@x.test> Bob <bob@y.test>")]
    [InlineData("\"Unclosed <amy@x.test>")]
    [InlineData("Team: amy@x.test;")]
    [InlineData("bob@y.test <amy@x.test>")]
    public void Lists_groups_and_broken_forms_are_no_address(string raw) =>
        EmailAddress.Normalize(raw).Should().BeNull();
}
