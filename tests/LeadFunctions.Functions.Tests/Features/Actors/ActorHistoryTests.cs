using System.Net;
using LeadFunctions.Domain.Access;
using LeadFunctions.Domain.Conversion;
using LeadFunctions.Domain.Merging;
using LeadFunctions.Functions.Features.Conversion;
using LeadFunctions.Functions.Features.Leads;
using LeadFunctions.Functions.Features.Merges;
using LeadFunctions.Infrastructure.Access;
using LeadFunctions.Infrastructure.Tables;

namespace LeadFunctions.Functions.Tests.Features.Actors;

/// <summary>
/// Who did what (SPEC 10) in a record's history and its events: a capture is the visitor's, a
/// check the system's, a person's change theirs; a merge, an undo and a merge-then-convert that
/// another request finishes after a crash stay in the name of whoever asked for them.
/// </summary>
public sealed class ActorHistoryTests : ActorHost
{
    [Fact]
    public async Task A_capture_is_the_visitors_and_the_duplicate_check_that_follows_the_systems()
    {
        var events = new EventQueue(Host);
        var email = $"ann@{Api.UniqueDomain()}";
        var first = await TestRecords.CreateAsync(Client, new { name = "Ann's deal", email });
        await Client.WaitCheckedAsync(first);
        var second = await Client.CaptureIdAsync(new { email, contactName = "Ann Lee", message = "Asking again" });
        await Client.WaitCheckedAsync(second);

        var log = await LogAsync(second);
        Entry(log, "created")["actor"]!.ToJsonString().Should().Be("""{"kind":"visitor","id":null,"name":"Web form visitor"}""");
        Entry(log, "duplicate-flagged")["actor"]!.ToJsonString().Should().Be(Json(Actor.System), "the check is the app's, not the visitor's");

        await events.WaitForAsync(q => q.About(second).Count >= 2, "the capture and its flag are told");
        ShouldTell(Event(events, second, "lead.captured"), Actor.Visitor, "visitor");
        ShouldTell(Event(events, second, "lead.duplicate-flagged"), Actor.System, "system");
    }

    [Fact]
    public async Task A_persons_note_lose_and_conversion_are_theirs_in_the_history_and_the_events()
    {
        var events = new EventQueue(Host);
        var id = await TestRecords.CreateAsync(Client, new { name = "Fit-out", email = $"olga@{Api.UniqueDomain()}" });
        await Client.WaitCheckedAsync(id);
        using (ActorScope.Begin(Lea))
        {
            var editor = Service<LeadEditor>();
            await editor.AddNoteAsync(id, "Called back", LeadFunctions.Domain.Ids.New(), Ct);
            await editor.LoseAsync(id, "No budget", Ct);
            await editor.RestoreAsync(id, Ct);
        }
        using (ActorScope.Begin(Bob))
        {
            await Service<ConvertHandler>().ConvertAsync(id, new ConvertRequest(ConversionAction.Convert, null, new CustomerRequest(CustomerMode.None, null), null, null), Ct);
        }

        var log = await LogAsync(id);
        foreach (var kind in new[] { "note", "lost", "restored" })
        {
            Entry(log, kind)["actor"]!.ToJsonString().Should().Be(Json(Lea), kind);
        }
        Entry(log, "converted")["actor"]!.ToJsonString().Should().Be(Json(Bob));

        await events.WaitForAsync(q => q.About(id).Any(e => e["type"]!.GetValue<string>().EndsWith(".lead.converted", StringComparison.Ordinal)), "the conversion is told");
        ShouldTell(Event(events, id, "lead.lost"), Lea, "person:" + Lea.Id);
        ShouldTell(Event(events, id, "lead.restored"), Lea, "person:" + Lea.Id);
        ShouldTell(Event(events, id, "lead.converted"), Bob, "person:" + Bob.Id);
    }

    [Fact]
    public async Task A_merge_and_its_undo_name_who_did_each_even_when_another_request_finishes_them()
    {
        var events = new EventQueue(Host);
        var domain = Api.UniqueDomain();
        var a = await TestRecords.CreateAsync(Client, new { name = "A", email = $"a@{domain}" });
        var b = await TestRecords.CreateAsync(Client, new { name = "B", email = $"b@{domain}" });
        await Client.WaitCheckedAsync(a);
        await Client.WaitCheckedAsync(b);

        // Lea's merge dies right after its commit; a request of nobody in particular finishes it.
        Faults.Reset((_, step) => step == "commit");
        using (ActorScope.Begin(Lea))
        {
            var merge = () => Service<MergeService>().MergeAsync([a, b], new MergeOptions(SurvivorId: a), dryRun: false, Ct);
            await merge.Should().ThrowAsync<InjectedFaultException>();
        }
        Faults.Reset();
        var mergeId = await MergeIdOfAsync(a);
        var finished = await UntilAsync(() => Client.GetJsonAsync($"merges/{mergeId}"), m => m["state"]!.GetValue<string>() == "applied", "reading the merge finishes it");
        finished["actor"]!.ToJsonString().Should().Be(Json(Lea), "the merge is Lea's, whoever finished it");
        finished["undoneBy"].Should().BeNull();
        Entry(await LogAsync(a), "merged")["actor"]!.ToJsonString().Should().Be(Json(Lea));

        // Bob's undo dies right after its commit, and a read finishes it in his name.
        Faults.Reset((_, step) => step == "commit undo");
        using (ActorScope.Begin(Bob))
        {
            var undo = () => Service<UndoService>().UndoAsync(mergeId, force: false, Ct);
            await undo.Should().ThrowAsync<InjectedFaultException>();
        }
        Faults.Reset();
        var undone = await UntilAsync(() => Client.GetJsonAsync($"merges/{mergeId}"), m => m["state"]!.GetValue<string>() == "undone", "reading the merge finishes its undo");
        undone["actor"]!.ToJsonString().Should().Be(Json(Lea));
        undone["undoneBy"]!.ToJsonString().Should().Be(Json(Bob));
        (await LogAsync(a)).Where(e => e["kind"]!.GetValue<string>() == "unmerged").Should().ContainSingle()
            .Which["actor"]!.ToJsonString().Should().Be(Json(Bob));
        Entry(await LogAsync(b), "unmerged")["actor"]!.ToJsonString().Should().Be(Json(Bob));

        await events.WaitForAsync(q => q.About(a).Any(e => e["type"]!.GetValue<string>().EndsWith("merge.undone", StringComparison.Ordinal)), "the undo is told");
        ShouldTell(Event(events, a, "leads.merged"), Lea, "person:" + Lea.Id);
        ShouldTell(Event(events, a, "merge.undone"), Bob, "person:" + Bob.Id);
    }

    [Fact]
    public async Task A_merge_then_convert_finished_by_a_retry_is_converted_in_the_name_of_whoever_asked()
    {
        var email = $"dup@{Api.UniqueDomain()}";
        var a = await TestRecords.CreateAsync(Client, new { name = "First", email });
        var b = await TestRecords.CreateAsync(Client, new { name = "Second", email });
        await Client.WaitCheckedAsync(a);
        await Client.WaitCheckedAsync(b);

        // Lea's request dies once the merge is applied, before the conversion.
        Faults.Reset((_, step) => step == "applied");
        using (ActorScope.Begin(Lea))
        {
            var convert = () => Service<ConvertHandler>().ConvertAsync(a,
                new ConvertRequest(ConversionAction.Merge, [b], new CustomerRequest(CustomerMode.None, null), null, null), Ct);
            await convert.Should().ThrowAsync<InjectedFaultException>();
        }
        Faults.Reset();
        await Client.SendJsonAsync(HttpMethod.Post, $"leads/{a}/convert", new { action = "convert", customer = new { mode = "none" } }, HttpStatusCode.OK);

        var log = await LogAsync(a);
        Entry(log, "merged")["actor"]!.ToJsonString().Should().Be(Json(Lea));
        Entry(log, "converted")["actor"]!.ToJsonString().Should().Be(Json(Lea), "the retry finished Lea's conversion, it did not make one of its own");
    }

    /// <summary>
    /// The id of the merge that died: the survivor's hold names it while it waits to be finished;
    /// once its watchdog finished it, the survivor's merged entry does.
    /// </summary>
    private async Task<string> MergeIdOfAsync(string survivor)
    {
        var row = await Service<Infrastructure.Leads.LeadStore>().ReadAsync(survivor, Ct);
        return row?.MergeLock is { } hold
            ? Infrastructure.Merges.MergeHolds.MergeIdOf(hold)
            : Entry(await LogAsync(survivor), "merged")["data"]!["mergeId"]!.GetValue<string>();
    }
}
