using System.Text.Json.Nodes;
using LeadFunctions.Domain.Events;
using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Tests.Events;

public sealed class LeadEventTypesTests
{
    private static LogEntry Entry(LogKind kind, JsonObject? data = null) => new() { Id = Ids.New(), LeadId = Ids.New(), At = DateTimeOffset.UtcNow, Kind = kind, Data = data };

    [Theory]
    [InlineData(LogKind.Updated, "com.leadfunctions.lead.updated")]
    [InlineData(LogKind.Converted, "com.leadfunctions.lead.converted")]
    [InlineData(LogKind.Merged, "com.leadfunctions.leads.merged")]
    [InlineData(LogKind.Won, "com.leadfunctions.lead.won")]
    [InlineData(LogKind.Lost, "com.leadfunctions.lead.lost")]
    [InlineData(LogKind.Restored, "com.leadfunctions.lead.restored")]
    [InlineData(LogKind.Imported, "com.leadfunctions.lead.imported")]
    [InlineData(LogKind.DuplicateFlagged, "com.leadfunctions.lead.duplicate-flagged")]
    public void A_change_of_meaning_names_its_event(LogKind kind, string type) => LeadEventTypes.Of(Entry(kind)).Should().Be(type);

    [Fact]
    public void A_creation_is_captured_when_it_came_from_the_web_form_and_created_otherwise()
    {
        LeadEventTypes.Of(Entry(LogKind.Created, new JsonObject { ["origin"] = "capture" })).Should().Be(LeadEventTypes.Captured);
        LeadEventTypes.Of(Entry(LogKind.Created, new JsonObject { ["origin"] = "api" })).Should().Be(LeadEventTypes.Created);
    }

    [Fact]
    public void History_that_is_told_by_another_entry_or_is_no_change_names_no_event()
    {
        LeadEventTypes.Of(Entry(LogKind.Note)).Should().BeNull("a note changes nothing of the record");
        LeadEventTypes.Of(Entry(LogKind.MergedInto)).Should().BeNull("the survivor's leads.merged tells it");
        LeadEventTypes.Of(Entry(LogKind.Unmerged)).Should().BeNull("a restored record's return is in the survivor's merge.undone");
        LeadEventTypes.Of(Entry(LogKind.Unmerged, new JsonObject { ["restoredIds"] = new JsonArray("x") })).Should().Be(LeadEventTypes.MergeUndone);
        LeadEventTypes.Of(Entry(LogKind.DuplicateFlagged, new JsonObject { ["foundBy"] = "other" })).Should().BeNull("the record whose check found the pair tells it");
    }
}
