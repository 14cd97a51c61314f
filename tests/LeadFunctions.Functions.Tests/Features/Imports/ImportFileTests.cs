using System.Text;
using LeadFunctions.Domain.Errors;
using LeadFunctions.Domain.Leads;
using LeadFunctions.Functions.Features.Imports;
using LeadFunctions.Functions.Http;

namespace LeadFunctions.Functions.Tests.Features.Imports;

/// <summary>How a CSV cell becomes a field of POST /leads (SPEC 4.6), without a host: the rows then take the route's own validation.</summary>
public sealed class ImportFileTests
{
    [Fact]
    public void Consent_columns_read_as_flags_and_other_text_is_left_for_validation_to_refuse()
    {
        var csv = "name,emailOptOut,phoneOptOut,doNotContact\nAnn,true,no,1\nBob,,,\nEve,maybe,,\n";

        var rows = ImportFile.ReadCsv(Encoding.UTF8.GetBytes(csv));

        var ann = JsonInput.Deserialize<LeadInput>(rows[0].Fields!);
        (ann.EmailOptOut, ann.PhoneOptOut, ann.DoNotContact).Should().Be((true, false, true));
        var bob = JsonInput.Deserialize<LeadInput>(rows[1].Fields!);
        (bob.EmailOptOut, bob.PhoneOptOut, bob.DoNotContact).Should().Be(((bool?)null, (bool?)null, (bool?)null), "an empty cell is no value");
        var eve = () => JsonInput.Deserialize<LeadInput>(rows[2].Fields!);
        eve.Should().Throw<ValidationException>("\"maybe\" is no yes or no").Which.Errors.Fields.Should().Equal("emailOptOut");
    }
}
