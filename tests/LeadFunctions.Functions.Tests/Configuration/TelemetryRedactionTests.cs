using LeadFunctions.Functions.Configuration;

namespace LeadFunctions.Functions.Tests.Configuration;

/// <summary>The URL rewriting of TelemetryRedaction, on the shapes the Azure SDK and ASP.NET Core write.</summary>
public sealed class TelemetryRedactionTests
{
    [Theory]
    [InlineData("http://127.0.0.1:10002/devstoreaccount1/leadindex(PartitionKey='email%3Aann%40acme.test',RowKey='01M9')?$format=REDACTED",
        "http://127.0.0.1:10002/devstoreaccount1/leadindex(REDACTED)?$format=REDACTED")]
    [InlineData("https://acct.table.core.windows.net/leadlist(PartitionKey='contact-name:ann (ceo)',RowKey='x')",
        "https://acct.table.core.windows.net/leadlist(REDACTED)")]
    [InlineData("https://acct.table.core.windows.net/leadindex()?$filter=PartitionKey%20eq%20%27phone%3A%2B1415%27&$top=21&NextPartitionKey=1!abc",
        "https://acct.table.core.windows.net/leadindex()?$filter=REDACTED&$top=21&NextPartitionKey=REDACTED")]
    [InlineData("https://acct.queue.core.windows.net/lead-ingest/messages/6a1f0c?popreceipt=AgAAAA&visibilitytimeout=30",
        "https://acct.queue.core.windows.net/lead-ingest/messages/REDACTED?popreceipt=REDACTED&visibilitytimeout=30")]
    [InlineData("https://acct.queue.core.windows.net/lead-events/messages?messagettl=-1", "https://acct.queue.core.windows.net/lead-events/messages?messagettl=-1")]
    [InlineData("https://acct.table.core.windows.net/$batch", "https://acct.table.core.windows.net/$batch")]
    public void A_storage_call_keeps_its_table_or_queue_and_operation_and_no_key(string url, string expected) =>
        TelemetryRedaction.RedactUrl(url, storageCall: true).Should().Be(expected);

    [Fact]
    public void A_request_keeps_its_parameter_names_and_none_of_their_values()
    {
        TelemetryRedaction.RedactUrl("http://localhost:7071/api/leads?email=ann%40acme.test&status=active&pageSize=20", storageCall: false)
            .Should().Be("http://localhost:7071/api/leads?email=REDACTED&status=REDACTED&pageSize=REDACTED");
        TelemetryRedaction.RedactUrl("http://localhost:7071/api/leads/01M9/similar", storageCall: false)
            .Should().Be("http://localhost:7071/api/leads/01M9/similar", "a path of ids says nothing of a person");
    }

    [Fact]
    public void Urls_within_text_are_redacted_and_the_rest_of_the_text_stays()
    {
        TelemetryRedaction.RedactText("Request starting HTTP/1.1 GET http://localhost:7071/api/leads?email=ann%40acme.test&phone=%2B1415 - - -")
            .Should().Be("Request starting HTTP/1.1 GET http://localhost:7071/api/leads?email=REDACTED&phone=REDACTED - - -");
        TelemetryRedaction.RedactText("PUT /devstoreaccount1/leadindex(PartitionKey='email%3Aann',RowKey='01M9')")
            .Should().Be("PUT /devstoreaccount1/leadindex(REDACTED)");
        TelemetryRedaction.RedactText("Delivered 2 event(s) of record 01M9; retry=3").Should().Be("Delivered 2 event(s) of record 01M9; retry=3");
    }
}
