using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LeadFunctions.Infra.Tests;

/// <summary>SPEC 7: what infra/main.bicep deploys, read from its compiled ARM template.</summary>
public sealed partial class TemplateTests
{
    private static readonly Dictionary<string, string> DataRoles = new()
    {
        ["b7e6dc6d-f1e8-4753-8033-0f276bb0955b"] = "Storage Blob Data Owner",
        ["974c5e8b-45b9-4653-ba55-5f855dd0fb88"] = "Storage Queue Data Contributor",
        ["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"] = "Storage Table Data Contributor",
        ["3913510d-42f4-4e42-8a64-420c390055eb"] = "Monitoring Metrics Publisher",
        ["69a216fc-b8fb-44d8-bc22-1f3c2cd27a39"] = "Azure Service Bus Data Sender",
        ["b86a8fe4-44ce-4948-aee5-eccb2c155cd7"] = "Key Vault Secrets Officer",
    };

    private readonly ArmTemplate template = new(Bicep.Template);

    [Fact]
    public void The_plan_is_Flex_Consumption_FC1_on_Linux()
    {
        var plan = template.One("Microsoft.Web/serverfarms");

        plan["sku"]!["name"]!.GetValue<string>().Should().Be("FC1");
        plan["sku"]!["tier"]!.GetValue<string>().Should().Be("FlexConsumption");
        plan["properties"]!["reserved"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public void The_app_runs_the_NET_10_isolated_worker_deployed_from_a_blob_container_with_its_identity()
    {
        var site = template.One("Microsoft.Web/sites");
        var config = site["properties"]!["functionAppConfig"]!;

        site["kind"]!.GetValue<string>().Should().Be("functionapp,linux");
        config["runtime"]!["name"]!.GetValue<string>().Should().Be("dotnet-isolated");
        config["runtime"]!["version"]!.GetValue<string>().Should().Be("10.0");
        config["deployment"]!["storage"]!["type"]!.GetValue<string>().Should().Be("blobContainer");
        config["deployment"]!["storage"]!["value"]!.GetValue<string>().Should().Contain("primaryEndpoints.blob").And.Contain("deploymentContainerName");
        config["deployment"]!["storage"]!["authentication"]!["type"]!.GetValue<string>().Should().Be("UserAssignedIdentity");
        config["deployment"]!["storage"]!["authentication"]!["userAssignedIdentityResourceId"]!.GetValue<string>().Should().Be("[parameters('identityId')]");
        site["identity"]!["type"]!.GetValue<string>().Should().Be("UserAssigned");
        site["properties"]!["httpsOnly"]!.GetValue<bool>().Should().BeTrue();
        ArmTemplate.Text(site["tags"]).Should().Contain("azd-service-name").And.Contain("'api'");
    }

    [Fact]
    public void Scale_limits_are_parameters_with_the_plan_s_allowed_values()
    {
        var scale = template.One("Microsoft.Web/sites")["properties"]!["functionAppConfig"]!["scaleAndConcurrency"]!;
        scale["instanceMemoryMB"]!.GetValue<string>().Should().Be("[parameters('instanceMemoryMB')]");
        scale["maximumInstanceCount"]!.GetValue<string>().Should().Be("[parameters('maximumInstanceCount')]");

        var parameters = template.Root["parameters"]!;
        parameters["instanceMemoryMB"]!["allowedValues"]!.AsArray().Select(v => v!.GetValue<int>()).Should().Equal(512, 2048, 4096);
        parameters["instanceMemoryMB"]!["defaultValue"]!.GetValue<int>().Should().Be(2048);
        parameters["maximumInstanceCount"]!["minValue"]!.GetValue<int>().Should().Be(1);
        parameters["maximumInstanceCount"]!["maxValue"]!.GetValue<int>().Should().Be(1000);
    }

    [Fact]
    public void Storage_takes_no_shared_key_and_no_anonymous_reader()
    {
        var account = template.One("Microsoft.Storage/storageAccounts")["properties"]!;

        account["allowSharedKeyAccess"]!.GetValue<bool>().Should().BeFalse();
        account["allowBlobPublicAccess"]!.GetValue<bool>().Should().BeFalse();
        account["minimumTlsVersion"]!.GetValue<string>().Should().Be("TLS1_2");
        template.One("Microsoft.Storage/storageAccounts/blobServices/containers")["properties"]!["publicAccess"]!.GetValue<string>().Should().Be("None");
    }

    [Fact]
    public void The_identity_has_exactly_the_blob_queue_table_monitoring_and_sender_roles_each_on_its_resource()
    {
        var assignments = template.All("Microsoft.Authorization/roleAssignments").ToList();
        var granted = assignments.SelectMany(RoleIds).ToList();

        granted.Select(id => DataRoles.GetValueOrDefault(id, id)).Should().BeEquivalentTo(DataRoles.Values, "no role more, no role less");
        assignments.Where(a => !RoleIds(a).Any()).Should().BeEmpty("every assignment grants one of the data roles");
        assignments.Should().OnlyContain(a => a["properties"]!["principalType"]!.GetValue<string>() == "ServicePrincipal"
            && a["properties"]!["principalId"]!.GetValue<string>() == "[parameters('principalId')]");
        // Each where it is needed: storage roles on the account, telemetry on App Insights, sending on the namespace.
        ScopeOf(assignments, "b7e6dc6d-f1e8-4753-8033-0f276bb0955b").Should().Contain("Microsoft.Storage/storageAccounts");
        ScopeOf(assignments, "3913510d-42f4-4e42-8a64-420c390055eb").Should().Contain("Microsoft.Insights/components");
        ScopeOf(assignments, "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39").Should().Contain("Microsoft.ServiceBus/namespaces");
        ScopeOf(assignments, "b86a8fe4-44ce-4948-aee5-eccb2c155cd7").Should().Contain("Microsoft.KeyVault/vaults");
        assignments.Single(a => RoleIds(a).Contains("69a216fc-b8fb-44d8-bc22-1f3c2cd27a39"))["condition"].Should().NotBeNull("the sender role exists only with Service Bus");
        // The role assignment of the identity is named by resource, principal and role, so two identities never collide.
        assignments.Should().OnlyContain(a => a["name"]!.GetValue<string>().Contains("parameters('principalId')", StringComparison.Ordinal));
    }

    [Fact]
    public void The_key_ring_s_vault_takes_roles_only_can_recover_what_is_deleted_and_the_app_is_told_where_it_is()
    {
        var vault = template.One("Microsoft.KeyVault/vaults")["properties"]!;

        vault["enableRbacAuthorization"]!.GetValue<bool>().Should().BeTrue("no access policies: the identity's role is the only way in");
        vault["enableSoftDelete"]!.GetValue<bool>().Should().BeTrue("a deleted sealing key would leave every webhook secret unreadable: it can be recovered");
        vault["enablePurgeProtection"].Should().BeNull("azd down then azd up in one environment must be able to purge and make the vault again");
        template.All("Microsoft.KeyVault/vaults/secrets").Should().BeEmpty("the app makes its sealing secret itself: no secret passes through the template");
        template.Module("functionapp")["properties"]!["parameters"]!["appSettings"]!["value"]!["DataProtection__KeyVaultUri"]!.ToJsonString()
            .Should().Contain("keyvault", "the app is given the vault the template made");
    }

    [Fact]
    public void Application_Insights_is_workspace_based_with_local_authentication_off()
    {
        var insights = template.One("Microsoft.Insights/components")["properties"]!;
        var workspace = template.One("Microsoft.OperationalInsights/workspaces");

        insights["DisableLocalAuth"]!.GetValue<bool>().Should().BeTrue();
        insights["WorkspaceResourceId"]!.GetValue<string>().Should().Contain("Microsoft.OperationalInsights/workspaces");
        workspace["properties"]!["sku"]!["name"]!.GetValue<string>().Should().Be("PerGB2018");
    }

    [Fact]
    public void Service_Bus_and_its_lead_events_topic_are_deployed_only_when_asked()
    {
        template.Module("servicebus")["condition"]!.GetValue<string>().Should().Be("[parameters('useServiceBus')]");
        template.Root["parameters"]!["useServiceBus"]!["defaultValue"]!.GetValue<bool>().Should().BeFalse();
        template.One("Microsoft.ServiceBus/namespaces")["properties"]!["disableLocalAuth"]!.GetValue<bool>().Should().BeTrue();
        template.One("Microsoft.ServiceBus/namespaces")["sku"]!["name"]!.GetValue<string>().Should().Be("Standard");
        var topic = template.One("Microsoft.ServiceBus/namespaces/topics");
        topic["name"]!.GetValue<string>().Should().Contain("'lead-events'");
        topic["properties"]!["requiresDuplicateDetection"]!.GetValue<bool>().Should().BeTrue("events carry their id as MessageId");
    }

    [Fact]
    public void Storage_and_telemetry_are_reached_with_the_user_assigned_identity_as_the_Functions_host_reads_it()
    {
        var settings = AppSettingsText();

        foreach (var name in new[]
        {
            "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId", "AzureWebJobsStorage__blobServiceUri",
            "AzureWebJobsStorage__queueServiceUri", "AzureWebJobsStorage__tableServiceUri",
            "APPLICATIONINSIGHTS_CONNECTION_STRING", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
            "Events__ServiceBus__FullyQualifiedNamespace", "Events__ServiceBus__credential", "Events__ServiceBus__clientId",
        })
        {
            settings.Should().Contain($"'{name}'", $"{name} is an app setting");
        }
        settings.Should().Contain("'AzureWebJobsStorage__credential', 'managedidentity'");
        settings.Should().Contain("format('ClientId={0};Authorization=AAD', parameters('identityClientId'))");
        settings.Should().NotContain("AzureWebJobsStorage'", "no connection string with a key");
        settings.Should().NotContain("FUNCTIONS_WORKER_RUNTIME", "Flex Consumption takes the runtime from functionAppConfig");
    }

    [Fact]
    public void Every_setting_of_the_README_is_an_app_setting()
    {
        var readme = File.ReadAllText(Path.Combine(Bicep.RepositoryRoot, "README.md"));
        var table = readme[readme.IndexOf("## Configuration", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("\n## ", 3, StringComparison.Ordinal)];
        var names = SettingRow().Matches(table).Select(m => m.Groups[1].Value)
            // Local host settings and host.json are not app settings; the storage connection is the template's own (tested above).
            .Where(n => !n.StartsWith("LocalHost:", StringComparison.Ordinal) && !n.Contains("host.json", StringComparison.Ordinal) && !n.StartsWith("AzureWebJobsStorage", StringComparison.Ordinal))
            .ToList();
        names.Should().Contain("Capture:AllowedOrigins", "the README's table is read");

        var parameterSettings = template.Module("functionapp")["properties"]!["parameters"]!["appSettings"]!["value"]!.AsObject().Select(p => p.Key).ToList();
        var settings = AppSettingsText();
        foreach (var name in names.Select(n => n.Replace(":", "__", StringComparison.Ordinal)))
        {
            (parameterSettings.Contains(name) || settings.Contains($"'{name}'", StringComparison.Ordinal)).Should().BeTrue($"{name} is in the README and must be settable on Azure");
        }
    }

    [Fact]
    public void The_app_validates_Entra_ID_tokens_of_the_subscription_s_tenant_for_the_app_registration_given_as_parameters()
    {
        var settings = template.Module("functionapp")["properties"]!["parameters"]!["appSettings"]!["value"]!;
        var parameters = template.Root["parameters"]!;

        ArmTemplate.Text(settings["Auth__ClientId"]).Should().Be("\"[parameters('authClientId')]\"");
        ArmTemplate.Text(settings["Auth__Admins"]).Should().Be("\"[parameters('authAdmins')]\"");
        ArmTemplate.Text(settings["Auth__Audience"]).Should().Contain("parameters('authAudience')")
            .And.Contain("format('api://{0},{1}', parameters('authClientId'), parameters('authClientId'))", "by default a token is for the registration's application ID URI or its client id");
        ArmTemplate.Text(settings["Auth__Authority"]).Should().Contain("parameters('authAuthority')").And.Contain("variables('defaultAuthority')");
        ArmTemplate.Text(template.Root["variables"]!["defaultAuthority"]).Should()
            .Contain("environment().authentication.loginEndpoint", "the login endpoint of the cloud deployed to")
            .And.Contain("tenant().tenantId").And.Contain("/v2.0");
        parameters["authClientId"]!["minLength"]!.GetValue<int>().Should().Be(1, "without a registration nobody could sign in: the deployment stops rather than the app");
        template.Root["outputs"]!["CONSOLE_URL"]!["value"]!.GetValue<string>().Should().Contain("'{0}/api/console'", "the postprovision hook makes it a redirect URI");
        template.All("Microsoft.Web/sites/config").Should().OnlyContain(c => !c["name"]!.GetValue<string>().Contains("authsettings", StringComparison.OrdinalIgnoreCase), "the app checks tokens itself, not App Service Authentication");
    }

    [Fact]
    public void azure_yaml_makes_the_app_registration_before_provisioning_and_adds_the_console_after()
    {
        var yaml = File.ReadAllText(Path.Combine(Bicep.RepositoryRoot, "azure.yaml"));
        var hook = File.ReadAllText(Path.Combine(Bicep.RepositoryRoot, "infra", "hooks", "app-registration.sh"));

        yaml.Should().MatchRegex(@"(?m)^hooks:\s*\n\s+preprovision:\s*\n(\s+\w+:.*\n)*?\s+run: sh \./infra/hooks/app-registration\.sh preprovision");
        yaml.Should().MatchRegex(@"(?m)^\s+postprovision:\s*\n(\s+\w+:.*\n)*?\s+run: sh \./infra/hooks/app-registration\.sh postprovision");
        hook.Should().Contain("azd env set AUTH_CLIENT_ID").And.Contain("access_as_user").And.Contain("CONSOLE_URL");
        foreach (var role in new[] { "sales", "manager", "admin" })
        {
            hook.Should().Contain($"\"value\":\"{role}\"", $"the registration has the app role {role}");
        }
        hook.Should().NotContainAny(["credential reset", "passwordCredentials", "client_secret"], "the console is a public client and the API only validates tokens: no secret");
    }

    [Fact]
    public void Platform_CORS_is_left_unset_so_that_the_capture_function_answers_it()
    {
        var site = template.One("Microsoft.Web/sites");

        site["properties"]!["siteConfig"]!.AsObject().Should().NotContainKey("cors");
        template.All("Microsoft.Web/sites/config").Should().OnlyContain(c => c["name"]!.GetValue<string>().Contains("appsettings", StringComparison.Ordinal));
    }

    [Fact]
    public void No_secret_is_a_parameter_or_an_output()
    {
        var root = template.Root;
        foreach (var (name, parameter) in root["parameters"]!.AsObject())
        {
            parameter!["type"]!.GetValue<string>().ToLowerInvariant().Should().NotStartWith("secure");
            name.Should().NotMatchRegex("(?i)key|secret|password|connection", "no parameter carries a credential");
        }
        foreach (var (name, output) in root["outputs"]!.AsObject())
        {
            output!["value"]!.ToJsonString().Should().NotContainAny("ConnectionString", "listKeys", "InstrumentationKey");
            name.Should().NotMatchRegex("(?i)key|secret|password|connection");
        }
        root.ToJsonString().Should().NotContain("listKeys(", "no key is ever read");
        root.ToJsonString().Should().NotContain("core.windows.net", "endpoints come from the account, in every cloud");
    }

    [Fact]
    public void azure_yaml_deploys_the_function_project_to_the_app_tagged_api()
    {
        var yaml = File.ReadAllText(Path.Combine(Bicep.RepositoryRoot, "azure.yaml"));

        yaml.Should().MatchRegex(@"(?m)^services:\s*\n(\s*#.*\n)*\s+api:\s*\n\s+project: \./src/LeadFunctions\.Functions/\s*\n\s+language: dotnet\s*\n\s+host: function");
        Directory.Exists(Path.Combine(Bicep.RepositoryRoot, "src", "LeadFunctions.Functions")).Should().BeTrue();
    }

    [Fact]
    public void The_azd_parameters_file_gives_every_parameter_from_an_azd_variable()
    {
        var parameters = JsonNode.Parse(File.ReadAllText(Path.Combine(Bicep.RepositoryRoot, "infra", "main.parameters.json")))!["parameters"]!.AsObject();

        // Every setting is changed with azd env set, never in the portal (azd provision writes the whole set).
        parameters.Select(p => p.Key).Should().BeEquivalentTo(template.Root["parameters"]!.AsObject().Select(p => p.Key));
        parameters.Should().OnlyContain(p => p.Value!["value"]!.GetValue<string>().StartsWith("${", StringComparison.Ordinal));
    }

    private string AppSettingsText() =>
        ArmTemplate.Text(template.One("Microsoft.Web/sites/config")["properties"])
        + ArmTemplate.Text(template.Module("functionapp")["properties"]!["template"]!["variables"]);

    /// <summary>The roles an assignment (or a copy loop of assignments) grants.</summary>
    private IEnumerable<string> RoleIds(JsonObject assignment) =>
        Guid().Matches(template.Resolved(assignment)).Select(m => m.Value).Distinct();

    private string ScopeOf(IEnumerable<JsonObject> assignments, string role) =>
        assignments.Single(a => RoleIds(a).Contains(role))["scope"]!.GetValue<string>();

    [GeneratedRegex(@"^\|\s*`([^`]+)`", RegexOptions.Multiline)]
    private static partial Regex SettingRow();

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Guid();
}
