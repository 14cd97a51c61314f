using LeadFunctions.Domain;
using LeadFunctions.Infrastructure.Leads;

namespace LeadFunctions.Infrastructure.Tests.Leads;

/// <summary>
/// The ingest queue's four jobs read back as the types they were sent as, and messages queued in
/// the shape of the single message type before (every field, the unused ones null) still read as
/// the job they were: a deployment must not strand what the queue holds.
/// </summary>
public sealed class IngestMessagesTests
{
    private static readonly string LeadId = Ids.New();
    private static readonly string CheckId = Ids.New();

    [Fact]
    public void Each_job_reads_back_as_the_type_it_was_sent_as()
    {
        var check = new CheckMessage(LeadId, CheckId, BasedOn: "W/\"v1\"", Attempt: 2);
        var sweep = SweepMessage.From("token");
        var watchdog = new WatchdogMessage(LeadId, CheckId);

        IngestJob.Parse(IngestQueue.Serialize(check)).Should().Be(check);
        IngestJob.Parse(IngestQueue.Serialize(sweep)).Should().Be(sweep);
        IngestJob.Parse(IngestQueue.Serialize(watchdog)).Should().Be(watchdog);
        var relink = new RelinkMessage(LeadId, Domain.Model.MatchRule.CompanyName);
        IngestQueue.Serialize(relink).Should().Be($"{{\"relink\":\"{LeadId}\",\"rule\":\"company-name\"}}", "a record and a rule, never the key");
        IngestJob.Parse(IngestQueue.Serialize(relink)).Should().Be(relink);
        var start = SweepMessage.For([Domain.Model.MatchRule.ContactName, Domain.Model.MatchRule.Phone], DateTimeOffset.Parse("2025-01-02T03:04:05Z", System.Globalization.CultureInfo.InvariantCulture));
        IngestJob.Parse(IngestQueue.Serialize(start)).Should().BeOfType<SweepMessage>().Which.Should().BeEquivalentTo(start);
    }

    [Fact]
    public void Messages_queued_in_the_old_single_shape_read_as_their_job()
    {
        const string nulls = "\"snapshot\":null,\"snapshotLog\":null,\"attempt\":0";
        IngestJob.Parse($"{{\"leadId\":\"{LeadId}\",\"checkId\":\"{CheckId}\",{nulls},\"basedOn\":\"v1\",\"mergeId\":null,\"sweep\":null}}")
            .Should().Be(new CheckMessage(LeadId, CheckId, BasedOn: "v1"));
        IngestJob.Parse($"{{\"leadId\":\"\",\"checkId\":\"{CheckId}\",{nulls},\"basedOn\":null,\"mergeId\":null,\"sweep\":\"\"}}")
            .Should().Be(new SweepMessage(""));
        IngestJob.Parse($"{{\"leadId\":\"{LeadId}\",\"checkId\":\"{CheckId}\",{nulls},\"basedOn\":null,\"mergeId\":\"{CheckId}\",\"sweep\":null}}")
            .Should().Be(new WatchdogMessage(LeadId, CheckId));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("{\"leadId\":\"../x\",\"checkId\":\"c\"}")]
    [InlineData("{\"leadId\":null,\"checkId\":\"c\"}")]
    [InlineData("{\"mergeId\":\"no id\"}")]
    [InlineData("{\"sweep\":5}")]
    [InlineData("{\"relink\":\"no id\",\"rule\":\"email\"}")]
    public void A_message_that_is_no_job_is_refused_as_bad_data(string json)
    {
        var parse = () => IngestJob.Parse(json);

        parse.Should().Throw<InvalidDataException>();
    }
}
