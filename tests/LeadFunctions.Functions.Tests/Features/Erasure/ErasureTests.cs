using System.Net;
using System.Text.Json.Nodes;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LeadFunctions.Functions.Tests.Features.Erasure;

/// <summary>
/// Erasure (SPEC 4.5) through the local host against Azurite: the person's records, one of them
/// merged into another person's record, their notes, their conversion's customer, their events and
/// webhook deliveries are gone from every row of every table; the other person's record is whole;
/// the receipt counts what went; an erasure killed along the way ends the same.
/// </summary>
public sealed class ErasureTests() : ErasureHost(null)
{
    [Fact]
    public async Task Every_trace_of_the_person_goes_and_the_other_person_s_record_stays_whole()
    {
        await using var receiver = LoopbackReceiver.Start(_ => (200, ""));
        await Client.SendJsonAsync(HttpMethod.Post, "webhooks", new { url = new Uri(receiver.Address, "hook").ToString(), events = new[] { "*" } }, HttpStatusCode.Created);
        var scenario = await SeedAsync();
        var person = scenario.Person;
        (await TracesAsync(person.Values)).Should().NotBeEmpty("the scan finds the values while they are stored");
        var deliveriesBefore = receiver.Requests.Count;

        var receipt = await EraseAsync(person);

        (await TracesAsync(person.Values)).Should().BeEmpty();
        var counts = receipt["counts"]!;
        counts["records"]!.GetValue<int>().Should().Be(2, "the lead and the merged lead");
        counts["customers"]!.GetValue<int>().Should().Be(1, "the customer the conversion created");
        counts["merges"]!.GetValue<int>().Should().Be(1);
        counts["survivorsCleaned"]!.GetValue<int>().Should().Be(1);
        counts["webhookDeliveries"]!.GetValue<int>().Should().BeGreaterThan(0);
        counts["logEntries"]!.GetValue<int>().Should().BeGreaterThan(3, "their created, checked, note and conversion entries at least");
        counts["indexEntries"]!.GetValue<int>().Should().BeGreaterThan(0);
        receipt.ToJsonString().Should().NotContain(person.Email).And.NotContain("@", "the receipt holds no personal data");

        var other = await Client.GetJsonAsync($"leads/{scenario.Other}");
        other["name"]!.GetValue<string>().Should().Be("Olaf's renewal");
        other["contactName"]!.GetValue<string>().Should().Be("Olaf Other");
        other["email"]!.GetValue<string>().Should().StartWith("olaf@");
        other["description"]!.GetValue<string>().Should().Be("Olaf's own notes.");
        other["status"]!.GetValue<string>().Should().Be("active");

        foreach (var id in new[] { scenario.Lead, scenario.MergedLead })
        {
            using var gone = await Client.GetAsync($"leads/{id}", Ct);
            await gone.ShouldHaveStatusAsync(HttpStatusCode.NotFound);
        }
        using (var customer = await Client.GetAsync($"customers/{scenario.CustomerId}", Ct))
        {
            await customer.ShouldHaveStatusAsync(HttpStatusCode.NotFound);
        }
        var undo = await Client.SendJsonAsync(HttpMethod.Post, $"merges/{scenario.MergeId}/undo", new { }, HttpStatusCode.Conflict);
        undo["detail"]!.GetValue<string>().Should().Contain("erased");

        var erased = await receiver.WaitForAsync(r => r.Skip(deliveriesBefore).Count(q => q.Body.Contains("lead.erased", StringComparison.Ordinal)) >= 2, Patience);
        var events = erased.Skip(deliveriesBefore).Select(r => JsonNode.Parse(r.Body)!).Where(e => e["type"]!.GetValue<string>() == "com.leadfunctions.lead.erased").ToList();
        events.Select(e => e["subject"]!.GetValue<string>()).Should().BeEquivalentTo([scenario.Lead, scenario.MergedLead]);
        events.Should().AllSatisfy(e => e["data"]!.AsObject().Select(p => p.Key).Should().Equal(["id", "actor"],
            "an erasure's event holds ids only, and who asked for it (an operator: no data of the erased person)"));
    }

    [Fact]
    public async Task A_capture_of_the_person_after_the_erasure_is_a_new_record_and_an_erased_one_never_comes_back()
    {
        var scenario = await SeedAsync();
        await EraseAsync(scenario.Person);

        var again = await Client.CaptureIdAsync(new { email = scenario.Person.Email, contactName = "New contact" });
        again.Should().NotBe(scenario.Lead);
        await Client.WaitCheckedAsync(again);
        using var gone = await Client.GetAsync($"leads/{scenario.Lead}", Ct);
        await gone.ShouldHaveStatusAsync(HttpStatusCode.NotFound);
        (await Client.SimilarAsync(again))["count"]!.GetValue<int>().Should().Be(0, "nothing of the erased records is left to match");
    }

    [Fact]
    public async Task An_erasure_killed_along_the_way_ends_as_one_that_was_not()
    {
        var scenario = await SeedAsync();
        var hits = 0;
        int[] kills = [1, 4, 9];
        Faults.Reset((_, step) => (step.StartsWith("erasure plan", StringComparison.Ordinal) || step.StartsWith("erasure step", StringComparison.Ordinal) || step == "erasure done")
            && kills.Contains(Interlocked.Increment(ref hits)));

        var receipt = await EraseAsync(scenario.Person);

        hits.Should().BeGreaterThan(9, "the run went past every kill");
        (await TracesAsync(scenario.Person.Values)).Should().BeEmpty();
        receipt["counts"]!["records"]!.GetValue<int>().Should().Be(2);
        receipt["counts"]!["customers"]!.GetValue<int>().Should().Be(1);
        receipt["counts"]!["survivorsCleaned"]!.GetValue<int>().Should().Be(1);
        (await Client.GetJsonAsync($"leads/{scenario.Other}"))["description"]!.GetValue<string>().Should().Be("Olaf's own notes.");
    }

    [Fact]
    public async Task A_request_killed_after_writing_its_journal_is_still_carried_out()
    {
        var scenario = await SeedAsync();
        Faults.Reset((_, step) => step == "erasure journal");
        using (var killed = await Client.PostAsync("erasures", TestRecords.Json(new { email = scenario.Person.Email }), Ct))
        {
            killed.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        }
        Faults.Reset();

        await Api.EventuallyAsync(async () => new JsonObject { ["traces"] = (await TracesAsync(scenario.Person.Values)).Count }, r => r["traces"]!.GetValue<int>() == 0);
        using var gone = await Client.GetAsync($"leads/{scenario.Lead}", Ct);
        await gone.ShouldHaveStatusAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_person_s_record_merged_into_theirs_comes_back_as_it_was()
    {
        var person = Person.New();
        var theirs = await TestRecords.CreateAsync(Client, new { name = person.Name, email = person.Email, description = person.Description });
        var olaf = await TestRecords.CreateAsync(Client, new { name = "Olaf's deal", contactName = "Olaf Other", email = $"olaf@{Api.UniqueDomain()}", city = "Oslo" });
        await Client.WaitCheckedAsync(theirs);
        await Client.WaitCheckedAsync(olaf);
        await Client.SendJsonAsync(HttpMethod.Post, $"leads/{olaf}/notes", new { message = "Olaf prefers mornings" }, HttpStatusCode.Created);
        await Client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { theirs, olaf }, survivorId = theirs }, HttpStatusCode.Created);
        await Host.QuietAsync(Patience);

        var receipt = await EraseAsync(person);

        receipt["counts"]!["recordsRestored"]!.GetValue<int>().Should().Be(1);
        var back = await Client.GetJsonAsync($"leads/{olaf}");
        back["status"]!.GetValue<string>().Should().Be("active");
        back["mergedInto"].Should().BeNull();
        back["contactName"]!.GetValue<string>().Should().Be("Olaf Other");
        back["city"]!.GetValue<string>().Should().Be("Oslo");
        var log = await Client.GetJsonAsync($"leads/{olaf}/log");
        log["items"]!.AsArray().Select(e => e!["message"]!.GetValue<string>()).Should().Contain("Olaf prefers mornings", "its own history came home");
        (await TracesAsync(person.Values)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_record_of_the_person_captured_while_the_erasure_runs_is_erased_too()
    {
        var scenario = await SeedAsync();
        string? during = null;
        Faults.Hold = async step =>
        {
            if (step == "erasure:step" && during is null)
            {
                during = "";
                during = await Client.CaptureIdAsync(new { email = scenario.Person.Email, contactName = scenario.Person.Name });
                await Client.WaitCheckedAsync(during);
            }
        };

        var receipt = await EraseAsync(scenario.Person);

        during.Should().NotBeNullOrEmpty();
        receipt["counts"]!["records"]!.GetValue<int>().Should().Be(3, "the capture made while it ran was found by its next round");
        using var gone = await Client.GetAsync($"leads/{during}", Ct);
        await gone.ShouldHaveStatusAsync(HttpStatusCode.NotFound);
        (await TracesAsync(scenario.Person.Values)).Should().BeEmpty("its check wrote an edge into an erased record's partition, which the next round takes out");
    }

    [Fact]
    public async Task A_name_crowded_by_their_records_alone_leaves_no_marker_behind()
    {
        var person = Person.New();
        var ids = new List<string>();
        for (var i = 0; i < LeadFunctions.Domain.Matching.Similarity.CrowdedDomainThreshold + 1; i++)
        {
            ids.Add(await TestRecords.CreateAsync(Client, new { name = $"Enquiry {i}", email = person.Email, contactName = person.Name }));
        }
        foreach (var id in ids)
        {
            await Client.WaitCheckedAsync(id);
        }
        await Host.QuietAsync(Patience);
        (await TracesAsync(LeadFunctions.Domain.Matching.PersonNames.Keys(person.Name))).Should().Contain(t => t.StartsWith("leadindex/", StringComparison.Ordinal) && t.Contains("!crowded", StringComparison.Ordinal),
            "their name is crowded: its key is marked");

        var receipt = await EraseAsync(person);

        receipt["counts"]!["records"]!.GetValue<int>().Should().Be(ids.Count);
        (await TracesAsync(person.Values)).Should().BeEmpty();
    }

    [Fact]
    public async Task An_erasure_needs_an_email_or_a_phone_and_an_unknown_one_is_not_found()
    {
        await Client.SendJsonAsync(HttpMethod.Post, "erasures", new { }, HttpStatusCode.BadRequest);
        await Client.SendJsonAsync(HttpMethod.Post, "erasures", new { email = "not an email" }, HttpStatusCode.BadRequest);
        await Client.SendJsonAsync(HttpMethod.Post, "erasures", new { email = "a@b.test", name = "x" }, HttpStatusCode.BadRequest);
        using var unknown = await Client.GetAsync($"erasures/{LeadFunctions.Domain.Ids.New()}", Ct);
        await unknown.ShouldHaveStatusAsync(HttpStatusCode.NotFound);
    }
}

/// <summary>A host with queues and a webhook-ready, quick-settling erasure; the person's values and the scenario the tests erase.</summary>
public abstract class ErasureHost(IDictionary<string, string?>? extra) : IsolatedHostTests(queues: true, settings: Settings(extra))
{
    private static Dictionary<string, string?> Settings(IDictionary<string, string?>? extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Events:Webhooks:AllowInsecureLocal"] = "true",
            ["Merges:StaleAfter"] = "00:00:02",
            ["Erasure:SettleAfter"] = "00:00:03",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        return settings;
    }

    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The person's values, unique to the test so that finding one anywhere means it was kept.</summary>
    protected sealed record Person(string Email, string Phone, string PhoneE164, string Name, string Description, string SecondDescription)
    {
        public static Person New()
        {
            var tag = Guid.NewGuid().ToString("N")[..10];
            return new($"zq{tag}@{Api.UniqueDomain()}", "+1 415 555 0199", "+14155550199", $"Zephyrine Quill {tag}", $"Private note {tag}", $"Second enquiry {tag}");
        }

        // The index keys made from them too: a name's sounds and a phone's transposable form are theirs.
        public string[] Values => [Email, Phone, PhoneE164, Name, Description, SecondDescription,
            .. LeadFunctions.Domain.Matching.PersonNames.Keys(Name), LeadFunctions.Domain.Matching.MatchKeys.Transposable(PhoneE164)];
    }

    protected sealed record Scenario(Person Person, string Lead, string MergedLead, string Other, string MergeId, string CustomerId);

    /// <summary>Two leads of the person (one merged into another person's record), a note, a conversion with a new customer.</summary>
    protected async Task<Scenario> SeedAsync()
    {
        var person = Person.New();
        var other = await TestRecords.CreateAsync(Client, new { name = "Olaf's renewal", contactName = "Olaf Other", email = $"olaf@{Api.UniqueDomain()}", description = "Olaf's own notes." });
        var lead = await TestRecords.CreateAsync(Client, new { name = person.Name, contactName = person.Name, email = person.Email, phone = person.Phone, description = person.Description });
        var second = await TestRecords.CreateAsync(Client, new { name = "Website enquiry", email = person.Email, description = person.SecondDescription });
        await Client.WaitCheckedAsync(lead);
        await Client.WaitCheckedAsync(second);
        await Client.WaitCheckedAsync(other);
        await Client.SendJsonAsync(HttpMethod.Post, $"leads/{lead}/notes", new { message = $"Called {person.Name} back" }, HttpStatusCode.Created);
        var merge = await Client.SendJsonAsync(HttpMethod.Post, "merges", new { leadIds = new[] { other, second }, survivorId = other }, HttpStatusCode.Created);
        var converted = await Client.SendJsonAsync(HttpMethod.Post, $"leads/{lead}/convert", new { action = "convert", customer = new { mode = "create" } }, HttpStatusCode.OK);
        await Host.QuietAsync(Patience);
        return new Scenario(person, lead, second, other, merge["mergeId"]!.GetValue<string>(), converted["customer"]!["id"]!.GetValue<string>());
    }

    /// <summary>Kills the erasure after each of its plan, step and done writes, once each; the set names the writes killed so far.</summary>
    protected HashSet<string> KillAfterEachErasureWriteOnce()
    {
        var killed = new HashSet<string>();
        Faults.Reset((_, step) =>
        {
            if (!(step.StartsWith("erasure plan", StringComparison.Ordinal) || step.StartsWith("erasure step", StringComparison.Ordinal) || step == "erasure done"))
            {
                return false;
            }
            lock (killed)
            {
                return killed.Add(step);
            }
        });
        return killed;
    }

    protected Task<JsonObject> EraseAsync(Person person) => EraseAsync(new { email = person.Email });

    /// <summary>Asks for the erasure and waits for its receipt to say done, then for the host to be quiet.</summary>
    protected async Task<JsonObject> EraseAsync(object request)
    {
        var started = await Client.SendJsonAsync(HttpMethod.Post, "erasures", request, HttpStatusCode.Accepted);
        var id = started["id"]!.GetValue<string>();
        started["status"]!.GetValue<string>().Should().Be("running");
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var receipt = await Client.GetJsonAsync($"erasures/{id}");
            if (receipt["status"]!.GetValue<string>() == "done")
            {
                await Host.QuietAsync(Patience);
                return receipt;
            }
            DateTime.UtcNow.Should().BeBefore(deadline, "the erasure should finish; it is {0}", receipt.ToJsonString());
            await Task.Delay(200, Ct);
        }
    }

    /// <summary>Every trace of the values in the host's account: rows of every table, messages of every queue (<see cref="StorageTraces"/>).</summary>
    protected async Task<List<string>> TracesAsync(IEnumerable<string> values)
    {
        var connection = Host.Services.GetRequiredService<IOptions<StorageConnection>>().Value.ConnectionString ?? throw new InvalidOperationException("The host has a storage connection.");
        var wanted = values.ToList();
        return [.. await StorageTraces.InTablesAsync(connection, wanted, Ct), .. await StorageTraces.InQueuesAsync(connection, wanted, Ct)];
    }
}
