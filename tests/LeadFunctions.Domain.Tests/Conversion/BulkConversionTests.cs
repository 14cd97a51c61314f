using LeadFunctions.Domain.Conversion;
using LeadFunctions.Domain.Model;
using static LeadFunctions.Domain.Tests.Conversion.ConversionFixtures;

namespace LeadFunctions.Domain.Tests.Conversion;

/// <summary>The request rules of a bulk conversion (SPEC 4.3).</summary>
public sealed class BulkConversionTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(BulkConversion.MaxBulk)]
    public void One_to_a_hundred_distinct_ids_are_valid(int count)
    {
        BulkConversion.ValidateIds([.. Enumerable.Range(1, count).Select(Id)]).IsEmpty.Should().BeTrue();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(BulkConversion.MaxBulk + 1)]
    public void No_ids_or_more_than_a_hundred_are_refused(int count)
    {
        var errors = BulkConversion.ValidateIds([.. Enumerable.Range(1, count).Select(Id)]);

        errors.Fields.Should().Equal("leadIds");
        errors.For("leadIds").Should().ContainSingle().Which.Should().Contain($"{count} given");
    }

    [Fact]
    public void A_repeated_id_is_refused()
    {
        var errors = BulkConversion.ValidateIds([Id(1), Id(2), Id(1)]);

        errors.Fields.Should().Equal("leadIds");
        errors.For("leadIds").Should().ContainSingle().Which.Should().Contain(Id(1));
    }

    [Fact]
    public void A_repeated_malformed_id_is_named_by_its_index()
    {
        var junk = new string('x', 5000);

        var errors = BulkConversion.ValidateIds([Id(1), junk, junk]);

        errors.For("leadIds").Should().ContainSingle().Which.Should().Contain("index 1").And.NotContain(junk);
    }

    [Fact]
    public void Malformed_ids_are_not_an_error_here()
    {
        BulkConversion.ValidateIds([Id(1), "nope", "", "01j-lower"]).IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void The_bulk_customer_mode_gives_each_lead_its_customer_choice()
    {
        var customer = new Customer { Id = "CUST1" };

        BulkConversion.CustomerFor(BulkCustomerMode.Auto, customer).Should().Be(CustomerChoice.Link("CUST1"));
        BulkConversion.CustomerFor(BulkCustomerMode.Auto, null).Should().Be(CustomerChoice.Create);
        BulkConversion.CustomerFor(BulkCustomerMode.Create, customer).Should().Be(CustomerChoice.Create);
        BulkConversion.CustomerFor(BulkCustomerMode.None, customer).Should().Be(CustomerChoice.None);
    }
}
