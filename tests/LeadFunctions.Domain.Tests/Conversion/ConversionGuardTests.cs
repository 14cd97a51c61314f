using LeadFunctions.Domain.Conversion;
using LeadFunctions.Domain.Errors;
using LeadFunctions.Domain.Model;
using static LeadFunctions.Domain.Tests.Conversion.ConversionFixtures;

namespace LeadFunctions.Domain.Tests.Conversion;

/// <summary>Only an active lead converts (SPEC 4.3).</summary>
public sealed class ConversionGuardTests
{
    [Fact]
    public void An_active_lead_converts()
    {
        FluentActions.Invoking(() => ConversionGuard.EnsureConvertible(Make(1))).Should().NotThrow();
    }

    [Theory]
    [InlineData(LeadStatus.Active)]
    [InlineData(LeadStatus.Lost)]
    public void An_opportunity_is_refused(LeadStatus status)
    {
        var opportunity = Make(1, l => { l.Type = LeadType.Opportunity; l.Status = status; });

        FluentActions.Invoking(() => ConversionGuard.EnsureConvertible(opportunity))
            .Should().Throw<ConflictException>().WithMessage("*already an opportunity*")
            .Which.MergedInto.Should().BeNull();
    }

    [Fact]
    public void A_won_deal_is_refused_as_won()
    {
        var won = Make(1, l => { l.Type = LeadType.Opportunity; l.Status = LeadStatus.Won; });

        FluentActions.Invoking(() => ConversionGuard.EnsureConvertible(won))
            .Should().Throw<ConflictException>().WithMessage("*is won*");
    }

    [Fact]
    public void A_lost_lead_is_refused()
    {
        var lost = Make(1, l => l.Status = LeadStatus.Lost);

        FluentActions.Invoking(() => ConversionGuard.EnsureConvertible(lost))
            .Should().Throw<ConflictException>().WithMessage("*lost: restore it first*")
            .Which.MergedInto.Should().BeNull();
    }

    [Theory]
    [InlineData(LeadType.Lead)]
    [InlineData(LeadType.Opportunity)]
    public void A_merged_record_is_refused_with_where_it_went(LeadType type)
    {
        var merged = Make(1, l => { l.Type = type; l.Status = LeadStatus.Merged; l.MergedInto = Id(7); });

        FluentActions.Invoking(() => ConversionGuard.EnsureConvertible(merged))
            .Should().Throw<ConflictException>().WithMessage($"*merged into '{Id(7)}'*")
            .Which.MergedInto.Should().Be(Id(7));
    }
}
