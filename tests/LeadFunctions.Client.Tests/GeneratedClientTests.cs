using LeadFunctions.Client.Models;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;

namespace LeadFunctions.Client.Tests;

/// <summary>
/// SPEC 5: a client generated from /api/openapi.json (Kiota, at build time, no hand edits) drives
/// every kind of route: capture, records, If-Match, paging, similar records, notes, log, merges
/// (with consent and touches), undo and conversion.
/// </summary>
public sealed class GeneratedClientTests(ClientHost host)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly LeadFunctionsClient client = host.Client;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_client_was_generated_from_the_document_the_host_serves()
    {
        var generatedFrom = typeof(GeneratedClientTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "GeneratedFrom").Value!;

        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        (await http.GetStringAsync("api/openapi.json", Ct)).Should().Be(await File.ReadAllTextAsync(generatedFrom, Ct));
    }

    [Fact]
    public async Task Capture_answers_the_id_of_a_stored_lead()
    {
        var email = $"web@{Domain()}";

        var receipt = await client.Capture.PostAsync(new CaptureInput { Email = email, Name = "Website enquiry", Tags = ["spring"] }, cancellationToken: Ct);

        receipt!.Status.Should().Be("received");
        var lead = await client.Leads[receipt.Id].GetAsync(cancellationToken: Ct);
        lead!.Email.Should().Be(email);
        lead.Tags.Should().Equal("spring");
    }

    [Fact]
    public async Task A_record_is_created_read_and_patched_with_If_Match_and_a_stale_version_is_a_412()
    {
        var created = await client.Leads.PostAsync(new LeadInput { Name = "Big deal", Type = LeadInput_type.Opportunity, ExpectedRevenue = 50000, Priority = 2 }, cancellationToken: Ct);
        created!.Type.Should().Be(Lead_type.Opportunity);
        created.ExpectedRevenue.Should().Be(50000);

        // The background check writes the record once (its duplicateCheck): read the version after it.
        await EventuallyAsync(() => client.Leads[created.Id].GetAsync(cancellationToken: Ct), l => l!.DuplicateCheck!.Status == DuplicateCheck_status.Done);
        var headers = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };
        var read = await client.Leads[created.Id].GetAsync(c => c.Options.Add(headers), Ct);
        var etag = headers.ResponseHeaders["ETag"].Single();
        etag.Should().Be(read!.Version);

        var patched = await client.Leads[created.Id].PatchAsync(new LeadInput { City = "Lyon" }, c => c.Headers.Add("If-Match", etag), Ct);
        patched!.City.Should().Be("Lyon");
        patched.Name.Should().Be("Big deal", "a merge patch leaves the other fields alone");

        var stale = async () => await client.Leads[created.Id].PatchAsync(new LeadInput { City = "Paris" }, c => c.Headers.Add("If-Match", etag), Ct);
        (await stale.Should().ThrowAsync<Problem>()).Which.ResponseStatusCode.Should().Be(412);
    }

    [Fact]
    public async Task Lists_page_with_a_continuation_token()
    {
        var email = $"paged@{Domain()}";
        for (var i = 0; i < 3; i++)
        {
            await client.Leads.PostAsync(new LeadInput { Name = $"Paged {i}", Email = email }, cancellationToken: Ct);
        }

        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await client.Leads.GetAsync(c =>
            {
                c.QueryParameters.Email = email;
                c.QueryParameters.PageSize = 2;
                c.QueryParameters.ContinuationToken = token;
            }, Ct);
            seen.AddRange(page!.Items!.Select(l => l.Id!));
            token = page.ContinuationToken;
        }
        while (token is not null);

        seen.Should().HaveCount(3).And.OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Similar_records_are_read_and_dismissed_and_notes_show_in_the_log()
    {
        var email = $"twin@{Domain()}";
        var first = await client.Leads.PostAsync(new LeadInput { Name = "First", Email = email }, cancellationToken: Ct);
        var second = await client.Leads.PostAsync(new LeadInput { Name = "Second", Email = email }, cancellationToken: Ct);

        var similar = await EventuallyAsync(() => client.Leads[second!.Id].Similar.GetAsync(cancellationToken: Ct), s => s!.Count == 1);
        similar!.Items!.Single().Id.Should().Be(first!.Id);
        similar.Items!.Single().MatchedOn.Should().Contain(SimilarRecord_matchedOn.Email);

        await client.Leads[second!.Id].Similar[first.Id].Dismiss.PostAsync(cancellationToken: Ct);
        (await client.Leads[second.Id].Similar.GetAsync(cancellationToken: Ct))!.Count.Should().Be(0);

        var note = await client.Leads[second.Id].Notes.PostAsync(new NoteRequest { Message = "Called, will call back" }, cancellationToken: Ct);
        note!.Kind.Should().Be(LogEntry_kind.Note);
        var log = await client.Leads[second.Id].Log.GetAsync(c => c.QueryParameters.PageSize = 1, Ct);
        log!.Items!.Single().Message.Should().Be("Called, will call back", "the log lists newest first");
        log.ContinuationToken.Should().NotBeNull();
    }

    [Fact]
    public async Task A_merge_is_previewed_done_and_undone()
    {
        var email = $"merge@{Domain()}";
        var a = await client.Leads.PostAsync(new LeadInput { Name = "Old name", Email = email, Source = "fair" }, cancellationToken: Ct);
        var b = await client.Leads.PostAsync(new LeadInput { Name = "New name", Email = email, Phone = "+1 415 555 2671", Source = "web", DoNotContact = true }, cancellationToken: Ct);

        var preview = await client.Merges.PostAsync(new MergeRequest { LeadIds = [a!.Id!, b!.Id!], DryRun = true }, cancellationToken: Ct);
        preview!.MergeId.Should().BeNull();
        preview.SurvivorId.Should().Be(a.Id);
        preview.Sources!.AdditionalData["phone"].Should().Be(b.Id);

        var merged = await client.Merges.PostAsync(new MergeRequest
        {
            LeadIds = [a.Id!, b.Id!],
            FieldSources = new MergeRequest_fieldSources { AdditionalData = new Dictionary<string, object> { ["name"] = b.Id! } },
        }, cancellationToken: Ct);
        merged!.MergeId.Should().NotBeNull();
        merged.Lead!.Name.Should().Be("New name");
        merged.Lead.Phone.Should().Be("+1 415 555 2671");
        merged.Lead.DoNotContact.Should().BeTrue("consent takes the most restrictive value");
        (merged.Lead.FirstTouch!.LeadId, merged.Lead.LastTouch!.LeadId).Should().Be((a.Id, b.Id));
        (await client.Leads[b.Id].GetAsync(cancellationToken: Ct))!.MergedInto.Should().Be(a.Id);

        var undone = await client.Merges[merged.MergeId].Undo.PostAsync(new UndoRequest(), cancellationToken: Ct);
        undone!.State.Should().Be(MergeRecord_state.Undone);
        (await client.Merges[merged.MergeId].GetAsync(cancellationToken: Ct))!.State.Should().Be(MergeRecord_state.Undone);
        (await client.Leads[b.Id].GetAsync(cancellationToken: Ct))!.Status.Should().Be(Lead_status.Active);
        var survivor = await client.Leads[a.Id].GetAsync(cancellationToken: Ct);
        (survivor!.DoNotContact, survivor.FirstTouch, survivor.LastTouch).Should().Be((false, null, null));
    }

    [Fact]
    public async Task Conversion_defaults_a_conversion_and_a_bulk_conversion()
    {
        var salesperson = await client.Salespeople.PostAsync(new SalespersonInput { Name = "Lea", Email = $"lea@{Domain()}" }, cancellationToken: Ct);
        var lead = await client.Leads.PostAsync(new LeadInput { Name = "Convert me", ContactName = "Ann Lee", CompanyName = "Acme", Email = $"ann@{Domain()}" }, cancellationToken: Ct);

        var defaults = await client.Leads[lead!.Id].Conversion.GetAsync(cancellationToken: Ct);
        defaults!.Action.Should().Be(ConversionProposal_action.Convert);
        defaults.Customer!.Mode.Should().Be(CustomerChoice_mode.Create);

        var converted = await client.Leads[lead.Id].Convert.PostAsync(new ConvertRequest
        {
            Action = ConvertRequest_action.Convert,
            Customer = new CustomerRequest { Mode = CustomerRequest_mode.Create },
            UserId = salesperson!.Id,
        }, cancellationToken: Ct);
        converted!.Lead!.Type.Should().Be(Lead_type.Opportunity);
        converted.Lead.UserId.Should().Be(salesperson.Id);
        converted.Customer!.Kind.Should().Be(Customer_kind.Person);

        var others = new[]
        {
            await client.Leads.PostAsync(new LeadInput { Name = "Bulk 1", Email = $"b1@{Domain()}" }, cancellationToken: Ct),
            await client.Leads.PostAsync(new LeadInput { Name = "Bulk 2", Email = $"b2@{Domain()}" }, cancellationToken: Ct),
        };
        var bulk = await client.Conversions.PostAsync(new BulkConvertRequest
        {
            LeadIds = [.. others.Select(o => o!.Id!)],
            UserIds = [salesperson.Id!],
            CustomerMode = BulkConvertRequest_customerMode.None,
        }, cancellationToken: Ct);
        bulk!.Results!.Select(r => r.Status).Should().Equal("converted", "converted");
        (await client.Leads[others[0]!.Id].GetAsync(cancellationToken: Ct))!.UserId.Should().Be(salesperson.Id);
    }

    [Fact]
    public async Task A_bad_request_comes_back_as_a_problem_with_the_field_s_errors()
    {
        var refused = async () => await client.Leads.PostAsync(new LeadInput { Email = "not an email" }, cancellationToken: Ct);

        var problem = (await refused.Should().ThrowAsync<Problem>()).Which;
        problem.ResponseStatusCode.Should().Be(400);
        problem.Errors!.AdditionalData.Should().ContainKey("email");
    }

    [Fact]
    public async Task A_webhook_is_subscribed_pinged_read_changed_and_deleted()
    {
        using var listener = new System.Net.HttpListener();
        var port = Random.Shared.Next(20000, 60000);
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var answering = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            context.Response.StatusCode = 200;
            context.Response.Close();
            return context.Request.Headers["webhook-signature"];
        }, Ct);

        var created = await client.Webhooks.PostAsync(new WebhookInput { Url = $"http://127.0.0.1:{port}/in", Events = ["lead.won"] }, cancellationToken: Ct);
        created!.Secret.Should().StartWith("whsec_");
        created.Events.Should().Equal("com.leadfunctions.lead.won");

        var ping = await client.Webhooks[created.Id].Test.PostAsync(cancellationToken: Ct);
        ping!.Status.Should().Be(WebhookDelivery_status.Delivered);
        (await answering).Should().StartWith("v1,");
        (await client.Webhooks[created.Id].Deliveries.GetAsync(cancellationToken: Ct))!.Items.Should().ContainSingle();

        var changed = await client.Webhooks[created.Id].PatchAsync(new WebhookPatch { Description = "CRM sync", Active = false }, cancellationToken: Ct);
        changed!.Active.Should().BeFalse();
        (await client.Webhooks.GetAsync(cancellationToken: Ct))!.Items!.Select(w => w.Id).Should().Contain(created.Id);
        await client.Webhooks[created.Id].DeleteAsync(cancellationToken: Ct);
        var gone = async () => await client.Webhooks[created.Id].GetAsync(cancellationToken: Ct);
        (await gone.Should().ThrowAsync<Problem>()).Which.ResponseStatusCode.Should().Be(404);
    }

    [Fact]
    public async Task A_team_with_rules_routes_a_new_record_and_shows_its_members_load()
    {
        var source = $"client-{Guid.NewGuid():N}"[..15];
        var lea = await client.Salespeople.PostAsync(new SalespersonInput { Name = "Lea", Email = $"lea@{Domain()}" }, cancellationToken: Ct);
        var team = await client.Teams.PostAsync(new TeamInput
        {
            Name = "Client routing",
            MemberIds = [lea!.Id!],
            Rules = [new TeamInput_rules { Field = "source", Op = TeamInput_rules_op.Equals, Values = [source] }],
        }, cancellationToken: Ct);
        var replaced = await client.Teams[team!.Id].PutAsync(new TeamReplacement
        {
            Name = "Client routing",
            MemberIds = [lea.Id!],
            Rules = [new TeamInput_rules { Field = "source", Op = TeamInput_rules_op.Equals, Values = [source] }],
            RespondWithin = "PT4H",
            Capacity = new TeamReplacement_capacity { AdditionalData = new Dictionary<string, object> { [lea.Id!] = 5 } },
        }, cancellationToken: Ct);
        replaced!.RespondWithin.Should().Be("PT4H");

        var dry = await client.Assignments.PostAsync(new AssignmentsRequest { DryRun = true }, c => c.QueryParameters.PageSize = 1, Ct);
        dry!.DryRun.Should().BeTrue();
        var created = await client.Leads.PostAsync(new LeadInput { Name = "Routed by the client", Source = source }, cancellationToken: Ct);
        var routed = await EventuallyAsync(() => client.Leads[created!.Id].GetAsync(cancellationToken: Ct), l => l!.Assignment is not null);

        routed!.UserId.Should().Be(lea.Id);
        routed.Assignment!.Status.Should().Be(LeadAssignment_status.Assigned);
        routed.Assignment.Reason.Should().StartWith($"source {source} matched team Client routing");
        var members = await client.Teams[team.Id].Members.GetAsync(cancellationToken: Ct);
        members!.Members.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Id = lea.Id, Capacity = 5, Load = 1, Available = true }, o => o.ExcludingMissingMembers());
    }

    private static string Domain() => $"d{Guid.NewGuid():N}"[..16] + ".test";

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }
            DateTime.UtcNow.Should().BeBefore(deadline, "background duplicate detection should have run");
            await Task.Delay(100, Ct);
        }
    }
}
