using LeadFunctions.Domain.Routing;
using System.Text.Json;
using LeadFunctions.Domain.Merging;
using LeadFunctions.Domain.Model;
using static LeadFunctions.Domain.Tests.Merging.MergeFixtures;

namespace LeadFunctions.Domain.Tests.Merging;

/// <summary>
/// The merge copies records instead of changing them. These tests fill every property of Lead, so a
/// property added later and not copied (or not considered by the merge) fails here.
/// </summary>
public sealed class LeadCloneTests
{
    /// <summary>A record with every property set to a value that is not its default.</summary>
    internal static Lead Filled()
    {
        var lead = new Lead();
        foreach (var property in typeof(Lead).GetProperties())
        {
            property.SetValue(lead, Sample(property.PropertyType, property.Name));
        }
        return lead;
    }

    private static object Sample(Type type, string name) => type switch
    {
        _ when type == typeof(string) => name == nameof(Lead.Id) ? Id(42) : $"{name}-value",
        _ when type == typeof(int) => 2,
        _ when type == typeof(decimal) => 123.45m,
        _ when type == typeof(bool) => true,
        _ when type == typeof(Touch) => new Touch(Id(45), $"{name}-source", $"{name}-medium", $"{name}-campaign", T0.AddDays(name.Length)),
        _ when type == typeof(DateTimeOffset) || type == typeof(DateTimeOffset?) => T0.AddHours(name.Length),
        _ when type == typeof(LeadType) => LeadType.Opportunity,
        _ when type == typeof(LeadStatus) => LeadStatus.Lost,
        _ when type == typeof(List<string>) => new List<string> { $"{name}-1", $"{name}-2" },
        _ when type == typeof(DuplicateCheck) => new DuplicateCheck
        {
            Status = DuplicateCheckStatus.Done,
            SimilarCount = 2,
            SimilarIds = [Id(43), Id(44)],
            CheckedAt = T0,
            Reason = "reason",
        },
        _ when type == typeof(LeadAssignment) => new LeadAssignment
        {
            Status = AssignmentStatus.Assigned,
            Reason = "reason",
            At = T0,
            Reassignments = 1,
            RespondBy = T0.AddHours(2),
        },
        _ => throw new InvalidOperationException($"Lead.{name} has a type ({type}) the merge tests do not know: teach the merge rules about it."),
    };

    [Fact]
    public void A_copy_has_every_value_and_shares_no_list()
    {
        var original = Filled();

        var copy = original.Clone();

        Json(copy).Should().Be(Json(original));
        copy.Tags.Should().NotBeSameAs(original.Tags);
        copy.DuplicateCheck.Should().NotBeSameAs(original.DuplicateCheck);
        copy.DuplicateCheck.SimilarIds.Should().NotBeSameAs(original.DuplicateCheck.SimilarIds);
    }

    [Fact]
    public void The_duplicate_check_has_no_property_the_copy_misses()
    {
        typeof(DuplicateCheck).GetProperties().Select(p => p.Name)
            .Should().BeEquivalentTo("Status", "SimilarCount", "SimilarIds", "CheckedAt", "Reason");
    }

    [Fact]
    public void Every_property_of_a_lead_is_either_merged_or_decided_by_the_merge()
    {
        // Decided by the merge itself rather than taken from a chosen record.
        // The assignment goes with the salesperson: it is the userId's source record's (SPEC 11).
        // The touches are chosen from every record's (SPEC 4.2).
        string[] decided = ["id", "type", "status", "createdAt", "updatedAt", "wonAt", "mergedInto", "duplicateCheck", "version",
            "assignment", "assignedAt", "firstResponseAt", "firstTouch", "lastTouch"];
        string[] address = ["street", "city", "zip", "state", "country"];
        var jsonNames = JsonSerializer.SerializeToNode(new Lead(), JsonDefaults.Options)!.AsObject().Select(p => p.Key);

        MergeRules.MergeableFields.Except(["address"]).Concat(address).Concat(decided)
            .Should().BeEquivalentTo(jsonNames);
    }

    [Fact]
    public void The_mergeable_fields_are_listed_once_in_the_order_of_the_spec()
    {
        MergeRules.MergeableFields.Should().Equal(
            "name", "contactName", "email", "phone", "companyName", "website", "address", "description", "tags",
            "priority", "expectedRevenue", "probability", "userId", "teamId", "customerId", "source", "medium",
            "campaign", "lostReason", "convertedAt", "emailOptOut", "phoneOptOut", "doNotContact");
    }
}
