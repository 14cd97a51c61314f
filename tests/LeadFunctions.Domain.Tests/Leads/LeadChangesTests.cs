using LeadFunctions.Domain.Access;
using LeadFunctions.Domain.Errors;
using LeadFunctions.Domain.Leads;
using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Tests.Leads;

/// <summary>The record's own rules for its state changes (SPEC 3) and for edits of its fields.</summary>
public sealed class LeadChangesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

    private static readonly Actor By = Actor.Person("01JSALESPERSON0000000000LM", "Lea Martin");

    private static Lead Record(LeadType type = LeadType.Lead, LeadStatus status = LeadStatus.Active) => new()
    {
        Id = Ids.New(Now.AddDays(-1)),
        Type = type,
        Status = status,
        Name = "Website enquiry",
        Email = "ann@acme.test",
        CreatedAt = Now.AddDays(-1),
        UpdatedAt = Now.AddDays(-1),
        DuplicateCheck = new DuplicateCheck { Status = DuplicateCheckStatus.Done, CheckedAt = Now.AddHours(-1) },
    };

    [Fact]
    public void An_active_record_is_lost_with_its_reason_logged()
    {
        var lead = Record();

        var change = lead.Lose("Too expensive", Now, By);

        lead.Status.Should().Be(LeadStatus.Lost);
        lead.LostReason.Should().Be("Too expensive");
        change.Entry.Kind.Should().Be(LogKind.Lost);
        change.Entry.Message.Should().Be("Marked lost: Too expensive.");
        change.Entry.Data!["reason"]!.GetValue<string>().Should().Be("Too expensive");
        change.Entry.LeadId.Should().Be(lead.Id);
        change.Entry.At.Should().Be(Now);
        change.Entry.Actor.Should().Be(By, "the history says who marked it lost");
        change.Check.Should().BeTrue("lists and the items other records show of it carry the status");
    }

    [Fact]
    public void A_blank_reason_is_no_reason()
    {
        var lead = Record();

        lead.Lose("  ", Now, By).Entry.Message.Should().Be("Marked lost.");

        lead.LostReason.Should().BeNull();
    }

    [Theory]
    [InlineData(LeadStatus.Lost, "The record is lost already.")]
    [InlineData(LeadStatus.Won, "The record is won: restore it first.")]
    public void Only_an_active_record_is_lost(LeadStatus status, string message)
    {
        var lead = Record(LeadType.Opportunity, status);

        var lose = () => lead.Lose(null, Now, By);

        lose.Should().Throw<ConflictException>().WithMessage(message);
        lead.Status.Should().Be(status, "a refused change changes nothing");
    }

    [Fact]
    public void An_active_opportunity_is_won_at_the_time_given()
    {
        var lead = Record(LeadType.Opportunity);

        var change = lead.Win(Now, By);

        lead.Status.Should().Be(LeadStatus.Won);
        lead.WonAt.Should().Be(Now);
        change.Entry.Kind.Should().Be(LogKind.Won);
    }

    [Theory]
    [InlineData(LeadType.Lead, LeadStatus.Active, "Only an opportunity can be won: convert the lead first.")]
    [InlineData(LeadType.Opportunity, LeadStatus.Won, "The record is won already.")]
    [InlineData(LeadType.Opportunity, LeadStatus.Lost, "The record is lost: restore it first.")]
    public void Only_an_active_opportunity_is_won(LeadType type, LeadStatus status, string message)
    {
        var lead = Record(type, status);

        var win = () => lead.Win(Now, By);

        win.Should().Throw<ConflictException>().WithMessage(message);
        lead.WonAt.Should().BeNull();
    }

    [Fact]
    public void Restoring_clears_what_losing_and_winning_set()
    {
        var lost = Record();
        lost.Lose("No budget", Now.AddHours(-2), By);
        var won = Record(LeadType.Opportunity);
        won.Win(Now.AddHours(-2), By);

        lost.Restore(Now, By).Entry.Kind.Should().Be(LogKind.Restored);
        won.Restore(Now, By);

        lost.Status.Should().Be(LeadStatus.Active);
        lost.LostReason.Should().BeNull();
        won.Status.Should().Be(LeadStatus.Active);
        won.WonAt.Should().BeNull();
    }

    [Fact]
    public void An_active_record_is_not_restored()
    {
        var restore = () => Record().Restore(Now, By);

        restore.Should().Throw<ConflictException>().WithMessage("The record is active already.");
    }

    [Fact]
    public void A_merged_record_names_its_survivor()
    {
        var lead = Record(status: LeadStatus.Merged);
        lead.MergedInto = "01ARZ3NDEKTSV4RRFFQ69G5FAV";

        var use = () => lead.ThrowIfMerged();

        use.Should().Throw<ConflictException>().Which.MergedInto.Should().Be("01ARZ3NDEKTSV4RRFFQ69G5FAV");
        Record().ThrowIfMerged().Should().NotBeNull();
    }

    [Fact]
    public void An_edit_that_changes_nothing_is_no_change()
    {
        var lead = Record();

        lead.Edit(LeadInput.From(lead), Now, By).Should().BeNull();
    }

    [Fact]
    public void An_edit_logs_each_field_from_and_to_and_a_key_field_makes_the_check_pending()
    {
        var lead = Record();
        var input = LeadInput.From(lead);
        input.Email = "ann@globex.test";
        input.Description = "Called back";

        var change = lead.Edit(input, Now, By)!;

        change.Entry.Kind.Should().Be(LogKind.Updated);
        change.Entry.Message.Should().Be("Changed email, description.");
        var changes = change.Entry.Data!["changes"]!;
        changes["email"]!["from"]!.GetValue<string>().Should().Be("ann@acme.test");
        changes["email"]!["to"]!.GetValue<string>().Should().Be("ann@globex.test");
        changes["description"]!["from"].Should().BeNull();
        lead.DuplicateCheck.Status.Should().Be(DuplicateCheckStatus.Pending);
        change.Check.Should().BeTrue();
    }

    [Fact]
    public void A_name_shown_by_other_records_is_checked_again_without_making_the_check_pending()
    {
        var lead = Record();
        var input = LeadInput.From(lead);
        input.Name = "Renamed enquiry";

        lead.Edit(input, Now, By)!.Check.Should().BeTrue("the items other records show of it carry the name");

        lead.DuplicateCheck.Status.Should().Be(DuplicateCheckStatus.Done);
    }

    [Fact]
    public void A_field_nobody_else_shows_needs_no_check()
    {
        var lead = Record();
        var input = LeadInput.From(lead);
        input.Description = "Called back";

        lead.Edit(input, Now, By)!.Check.Should().BeFalse();
    }

    [Fact]
    public void Of_the_fields_a_create_takes_only_the_type_is_read_only_afterwards()
    {
        LeadFields.ReadOnly.Should().Contain(["id", "status", "duplicateCheck", "version", "lostReason"]);

        Record().Writable().Select(p => p.Key).Intersect(LeadFields.ReadOnly).Should().Equal(["type"], "the type is decided on create; conversion changes it");
    }
}
