using System.Text.Json.Nodes;
using LeadFunctions.Domain.Leads;

namespace LeadFunctions.Domain.Tests;

public sealed class MergePatchTests
{
    [Fact]
    public void Its_field_names_are_the_top_level_ones_set_or_cleared()
    {
        var patch = new MergePatch(JsonNode.Parse("""{"city":"Lyon","phone":null,"team":{"id":null}}""")!.AsObject());

        patch.FieldNames.Should().Equal("city", "phone", "team");
    }

    [Fact]
    public void Applied_it_keeps_absent_fields_clears_null_ones_and_leaves_the_target_alone()
    {
        var target = JsonNode.Parse("""{"name":"Ada","city":"Paris","phone":"0123456789"}""")!;
        var patch = new MergePatch(JsonNode.Parse("""{"city":"Lyon","phone":null}""")!.AsObject());

        var patched = patch.ApplyTo(target);

        patched.ToJsonString().Should().Be("""{"name":"Ada","city":"Lyon"}""");
        target.ToJsonString().Should().Be("""{"name":"Ada","city":"Paris","phone":"0123456789"}""");
    }
}
