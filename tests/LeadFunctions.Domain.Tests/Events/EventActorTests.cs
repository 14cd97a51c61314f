using System.Text.Json;
using LeadFunctions.Domain.Access;
using LeadFunctions.Domain.Events;
using LeadFunctions.Domain.Model;

namespace LeadFunctions.Domain.Tests.Events;

/// <summary>How an event and a record say who made a change (SPEC 10).</summary>
public sealed class EventActorTests
{
    private const string LeaId = "01JSALESPERSON0000000000LM";

    [Theory]
    [MemberData(nameof(Attributes))]
    public void The_attribute_is_the_kind_and_the_id_when_there_is_one(Actor actor, string expected)
    {
        EventActor.Format(actor).Should().Be(expected);

        EventActor.TryParse(expected, out var kind, out var id).Should().BeTrue();
        kind.Should().Be(actor.Kind);
        id.Should().Be(actor.Id);
    }

    public static TheoryData<Actor, string> Attributes() => new()
    {
        { Actor.Person(LeaId, "Lea Martin"), "person:" + LeaId },
        { Actor.ApiKey("01JAPIKEY00000000000000SHP", "Shop sync"), "apikey:01JAPIKEY00000000000000SHP" },
        { Actor.Visitor, "visitor" },
        { Actor.System, "system" },
    };

    [Fact]
    public void The_attribute_name_and_value_are_what_CloudEvents_allows()
    {
        // Extension attribute names: lower-case ASCII letters and digits, at most 20 characters.
        EventActor.Attribute.Should().MatchRegex("^[a-z0-9]{1,20}$");
        EventActor.Format(Actor.Person(LeaId, "Lea: Martin")).Should().NotContain("Lea", "the name is read in data, never matched on in the attribute");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("robot:1")]
    [InlineData("Person:1")]
    public void Anything_else_is_no_actor(string? value) => EventActor.TryParse(value, out _, out _).Should().BeFalse();

    [Fact]
    public void In_data_and_in_records_an_actor_is_kind_id_and_name_with_lower_case_kinds()
    {
        EventActor.ToData(Actor.ApiKey("k1", "Shop sync")).ToJsonString().Should().Be("""{"kind":"apikey","id":"k1","name":"Shop sync"}""");
        JsonSerializer.Serialize(Actor.Visitor, JsonDefaults.Options).Should().Be("""{"kind":"visitor","id":null,"name":"Web form visitor"}""");
        JsonSerializer.Deserialize<Actor>("""{"kind":"person","id":"p1","name":"Lea"}""", JsonDefaults.Options).Should().Be(Actor.Person("p1", "Lea"));
    }

    [Fact]
    public void A_log_entry_holds_its_actor_and_one_stored_before_actors_reads_as_unknown()
    {
        var entry = LogEntries.New(Ids.New(), DateTimeOffset.UtcNow, LogKind.Note, "Called back", null, Actor.Person(LeaId, "Lea Martin"));
        var json = JsonSerializer.Serialize(entry, JsonDefaults.Options);
        json.Should().Contain($$"""
            "actor":{"kind":"person","id":"{{LeaId}}","name":"Lea Martin"}
            """);

        var old = JsonSerializer.Deserialize<LogEntry>("""{"id":"x","leadId":"y","at":"2026-01-01T00:00:00Z","kind":"note","message":"m","data":null}""", JsonDefaults.Options)!;
        old.Actor.Should().BeNull("its author is unknown: not claimed to be the system's");
    }

    [Fact]
    public void A_merge_is_its_own_mergers_by_kind_and_id_whatever_their_name_now()
    {
        var merge = new MergeRecord { Actor = Actor.Person(LeaId, "Lea Martin") };

        merge.IsMergedBy(Actor.Person(LeaId, "Lea Martin-Dupont")).Should().BeTrue("a name can change");
        merge.IsMergedBy(Actor.Person("someone-else", "Lea Martin")).Should().BeFalse();
        merge.IsMergedBy(Actor.ApiKey(LeaId, "Lea Martin")).Should().BeFalse("an API key is not the person");
        new MergeRecord { Actor = Actor.System }.IsMergedBy(Actor.System).Should().BeFalse("a merge without an id is nobody's own");
        new MergeRecord().IsMergedBy(Actor.Person(LeaId, "Lea Martin")).Should().BeFalse("a merge of unknown authorship is nobody's own");
    }
}
