using LeadFunctions.LocalHost.Metadata;

namespace LeadFunctions.LocalHost.Tests.Metadata;

public sealed class FunctionCatalogTests
{
    private static FunctionCatalog Load() =>
        FunctionCatalog.Load(Path.Combine(AppContext.BaseDirectory, "test.functions.metadata"), typeof(FunctionCatalogTests).Assembly);

    [Fact]
    public void Entry_points_resolve_to_methods_of_the_named_type()
    {
        var hello = Load().Functions.Single(f => f.Name == "Hello");

        hello.Method.Name.Should().Be("Hello");
        hello.Method.DeclaringType!.FullName.Should().Be("LeadFunctions.LocalHost.Tests.TestFunctions.HttpTestFunctions");
        hello.Http.Should().Be(new HttpTriggerBinding("req", FunctionAuthLevel.Anonymous, hello.Http!.Methods, "hello/{name:alpha}"));
        hello.Http.Methods.Should().Equal("GET");
    }

    [Fact]
    public void Missing_route_and_methods_mean_the_function_name_and_every_method()
    {
        var written = Load().Functions.Single(f => f.Name == "Written").Http!;

        written.Route.Should().Be("Written");
        written.Methods.Should().BeNull();
        written.AuthLevel.Should().Be(FunctionAuthLevel.Admin);
    }

    [Fact]
    public void A_timer_trigger_keeps_its_schedule_as_written_and_its_runOnStartup()
    {
        Load().Functions.Single(f => f.Name == "Tick").Timer.Should().Be(new TimerTriggerBinding("timer", "%Timers:Tick%", RunOnStartup: true));
    }

    [Fact]
    public void A_queue_trigger_without_connection_uses_AzureWebJobsStorage()
    {
        Load().Functions.Single(f => f.Name == "Flaky").Queue.Should().Be(new QueueTriggerBinding("message", "flaky", "AzureWebJobsStorage"));
    }

    [Fact]
    public void Without_an_assembly_the_script_file_names_it()
    {
        FunctionCatalog.Load(Path.Combine(AppContext.BaseDirectory, "test.functions.metadata")).Functions.Should().HaveCount(9);
    }

    [Fact]
    public void A_missing_file_says_how_to_get_one()
    {
        var load = () => FunctionCatalog.Load(Path.Combine(AppContext.BaseDirectory, "absent.metadata"));

        load.Should().Throw<FileNotFoundException>().WithMessage("*build LeadFunctions.Functions*");
    }
}
