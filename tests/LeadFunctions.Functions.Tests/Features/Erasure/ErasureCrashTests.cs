namespace LeadFunctions.Functions.Tests.Features.Erasure;

/// <summary>
/// An erasure killed after each of its writes in turn (its plan, every step, its end), each kill
/// once, resumed each time by the queue's next try: it ends as an erasure never killed does. The
/// host allows the many tries this takes (host.json's maxDequeueCount, five on Azure, would send
/// the message to the poison queue, where the clean-up's pass would pick the erasure up again).
/// </summary>
public sealed class ErasureCrashTests() : ErasureHost(new Dictionary<string, string?> { [LocalHost.LocalHostApp.HostJsonFileSetting] = ManyTries() })
{
    internal static string ManyTries()
    {
        var root = Azurite.RepositoryRoot.Find() ?? throw new InvalidOperationException("The tests run inside the repository.");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(root, "host.json")))!;
        json["extensions"]!["queues"]!["maxDequeueCount"] = 1000;
        var path = Path.Combine(Path.GetTempPath(), $"erasure-crash-{Guid.NewGuid():N}.host.json");
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    [Fact]
    public async Task An_erasure_killed_after_each_of_its_writes_ends_as_one_never_killed()
    {
        var scenario = await SeedAsync();
        var killed = KillAfterEachErasureWriteOnce();

        var receipt = await EraseAsync(scenario.Person);

        killed.Should().Contain(["erasure plan 0", "erasure step 0.0", "erasure done"]).And.HaveCountGreaterThan(20);
        (await TracesAsync(scenario.Person.Values)).Should().BeEmpty();
        var counts = receipt["counts"]!;
        counts["records"]!.GetValue<int>().Should().Be(2);
        counts["customers"]!.GetValue<int>().Should().Be(1);
        counts["merges"]!.GetValue<int>().Should().Be(1);
        counts["survivorsCleaned"]!.GetValue<int>().Should().Be(1);
        (await Client.GetJsonAsync($"leads/{scenario.Other}"))["description"]!.GetValue<string>().Should().Be("Olaf's own notes.");
    }
}
