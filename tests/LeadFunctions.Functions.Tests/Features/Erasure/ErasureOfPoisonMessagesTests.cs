using System.Net;
using Azure.Storage.Queues;
using LeadFunctions.Infrastructure.Leads;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LeadFunctions.Functions.Tests.Features.Erasure;

/// <summary>
/// A message that went to a poison queue before an erasure and is replayed after it (what an
/// operator does with a poison queue) names an erased record: it must bring nothing back. The
/// worst such message is one from before messages carried ids only, with the whole record in it.
/// </summary>
public sealed class ErasureOfPoisonMessagesTests() : ErasureHost(null)
{
    [Fact]
    public async Task A_check_of_an_erased_record_replayed_from_the_poison_queue_brings_nothing_back()
    {
        var person = Person.New();
        var lead = await TestRecords.CreateAsync(Client, new { name = person.Name, contactName = person.Name, email = person.Email, phone = person.Phone, description = person.Description });
        await Client.WaitCheckedAsync(lead);
        var stored = await Host.Services.GetRequiredService<LeadStore>().ReadAsync(lead, Ct) ?? throw new InvalidOperationException("The lead is stored.");
        await EraseAsync(person);

        var connection = Host.Services.GetRequiredService<IOptions<StorageConnection>>().Value.ConnectionString ?? throw new InvalidOperationException("The host has a storage connection.");
        var ingest = new QueueClient(connection, StorageNames.IngestQueue, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await ingest.SendMessageAsync(IngestQueue.Serialize(new CheckMessage(lead, LeadFunctions.Domain.Ids.New())), Ct);
        await ingest.SendMessageAsync(IngestQueue.Serialize(new CheckMessage(lead, LeadFunctions.Domain.Ids.New(), stored.ToLead())), Ct);
        await Api.EventuallyAsync(async () => new System.Text.Json.Nodes.JsonObject { ["left"] = (await ingest.GetPropertiesAsync(Ct)).Value.ApproximateMessagesCount }, r => r["left"]!.GetValue<int>() == 0);
        await Host.QuietAsync(Patience);

        using var gone = await Client.GetAsync($"leads/{lead}", Ct);
        await gone.ShouldHaveStatusAsync(HttpStatusCode.NotFound);
        (await Client.GetJsonAsync($"leads?email={Uri.EscapeDataString(person.Email)}"))["items"]!.AsArray().Should().BeEmpty();
        (await TracesAsync(person.Values)).Should().BeEmpty("a replayed message names the record by id only, and the stub refuses a record travelling in one");

        // The scan would have seen them there: a message holding the email, encoded as the host's are.
        var poison = new QueueClient(connection, StorageNames.IngestQueue + "-poison", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await poison.SendMessageAsync(IngestQueue.Serialize(new CheckMessage(lead, LeadFunctions.Domain.Ids.New(), stored.ToLead())), Ct);
        (await TracesAsync([person.Email])).Should().ContainSingle().Which.Should().StartWith("queue lead-ingest-poison:");
    }
}
