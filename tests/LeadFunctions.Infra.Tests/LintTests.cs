using System.Text.Json.Nodes;

namespace LeadFunctions.Infra.Tests;

/// <summary>SPEC 7: the template builds and lints clean, not one warning.</summary>
public sealed class LintTests
{
    [Fact]
    public void bicep_lint_reports_nothing_at_all()
    {
        var sarif = JsonNode.Parse(Bicep.Run("lint", Bicep.MainFile, "--diagnostics-format", "sarif"))!;

        var results = sarif["runs"]!.AsArray().SelectMany(run => run!["results"]!.AsArray()).ToList();

        results.Select(r => $"{r!["ruleId"]}: {r["message"]?["text"]}").Should().BeEmpty();
    }

    [Fact]
    public void The_compiled_template_is_for_a_subscription_with_its_resource_group()
    {
        Bicep.Template["$schema"]!.GetValue<string>().Should().Contain("subscriptionDeploymentTemplate");
        new ArmTemplate(Bicep.Template).One("Microsoft.Resources/resourceGroups")["name"]!.GetValue<string>().Should().Contain("environmentName");
    }
}
