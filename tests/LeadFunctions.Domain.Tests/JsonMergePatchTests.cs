using System.Text.Json.Nodes;
using LeadFunctions.Domain.Leads;

namespace LeadFunctions.Domain.Tests;

public sealed class JsonMergePatchTests
{
    // RFC 7396, Appendix A.
    [Theory]
    [InlineData("""{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"a":null}""", """{}""")]
    [InlineData("""{"a":"b","b":"c"}""", """{"a":null}""", """{"b":"c"}""")]
    [InlineData("""{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"c"}""", """{"a":["b"]}""", """{"a":["b"]}""")]
    [InlineData("""{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""")]
    [InlineData("""{"a":[{"b":"c"}]}""", """{"a":[1]}""", """{"a":[1]}""")]
    [InlineData("""["a","b"]""", """["c","d"]""", """["c","d"]""")]
    [InlineData("""{"a":"b"}""", """["c"]""", """["c"]""")]
    [InlineData("""{"a":"foo"}""", "null", "null")]
    [InlineData("""{"a":"foo"}""", "\"bar\"", "\"bar\"")]
    [InlineData("""{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""")]
    [InlineData("""[1,2]""", """{"a":"b","c":null}""", """{"a":"b"}""")]
    [InlineData("""{}""", """{"a":{"bb":{"ccc":null}}}""", """{"a":{"bb":{}}}""")]
    public void The_RFC_7396_examples_give_the_documented_results(string target, string patch, string expected)
    {
        var result = JsonMergePatch.Apply(JsonNode.Parse(target), JsonNode.Parse(patch));
        JsonNode.DeepEquals(result, JsonNode.Parse(expected)).Should().BeTrue(result?.ToJsonString() ?? "null");
    }

    [Fact]
    public void A_null_target_is_treated_as_an_empty_object_for_an_object_patch()
    {
        var result = JsonMergePatch.Apply(null, JsonNode.Parse("""{"a":{"bb":{"ccc":null}},"d":1}"""));
        result!.ToJsonString().Should().Be("""{"a":{"bb":{}},"d":1}""");
    }

    [Fact]
    public void Neither_input_is_changed_and_the_result_shares_no_nodes_with_them()
    {
        var target = JsonNode.Parse("""{"a":{"b":1,"c":[1,2]},"keep":{"x":1}}""")!;
        var patch = JsonNode.Parse("""{"a":{"b":null,"d":{"e":1}},"n":[3]}""")!;
        var targetBefore = target.ToJsonString();
        var patchBefore = patch.ToJsonString();

        var result = JsonMergePatch.Apply(target, patch)!;

        result.ToJsonString().Should().Be("""{"a":{"c":[1,2],"d":{"e":1}},"keep":{"x":1},"n":[3]}""");
        target.ToJsonString().Should().Be(targetBefore);
        patch.ToJsonString().Should().Be(patchBefore);
        result["keep"]!["x"] = 2;
        result["a"]!["d"]!["e"] = 2;
        result["n"]!.AsArray().Add(4);
        target.ToJsonString().Should().Be(targetBefore);
        patch.ToJsonString().Should().Be(patchBefore);
    }

    [Fact]
    public void A_scalar_patch_replaces_the_document_with_a_copy()
    {
        var patch = JsonNode.Parse("[1]")!;
        var result = JsonMergePatch.Apply(JsonNode.Parse("""{"a":1}"""), patch);
        result.Should().NotBeSameAs(patch);
        JsonNode.DeepEquals(result, patch).Should().BeTrue();
    }
}
