using System.Net;
using LeadFunctions.Domain;
using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Leads;
using Microsoft.Extensions.DependencyInjection;

namespace LeadFunctions.Functions.Tests.Features.Erasure;

/// <summary>
/// Records the similar-record index does not know yet (stored, their check not run) are found by
/// the erasure's scan by phone and by mailbox alias as well as by email.
/// </summary>
public sealed class ErasureOfUncheckedRecordsTests() : ErasureHost(null)
{
    [Fact]
    public async Task An_unchecked_record_is_erased_by_its_phone()
    {
        var person = Person.New();
        var record = await StoreUncheckedAsync(lead => lead.Phone = person.Phone);

        var receipt = await EraseAsync(new { phone = person.PhoneE164 });

        receipt["counts"]!["records"]!.GetValue<int>().Should().Be(1);
        await GoneAsync(record);
    }

    [Fact]
    public async Task An_unchecked_record_is_erased_by_a_mailbox_alias_of_the_email()
    {
        var mailbox = "ann" + Guid.NewGuid().ToString("N")[..10];
        var record = await StoreUncheckedAsync(lead => lead.Email = $"{mailbox[..2]}.{mailbox[2..]}+news@gmail.com");

        var receipt = await EraseAsync(new { email = $"{mailbox}@gmail.com" });

        receipt["counts"]!["records"]!.GetValue<int>().Should().Be(1);
        await GoneAsync(record);
    }

    /// <summary>A record stored as a capture is, before its check has run (nothing queued: it stays unchecked).</summary>
    private async Task<string> StoreUncheckedAsync(Action<Lead> contact)
    {
        var now = DateTimeOffset.UtcNow;
        var lead = new Lead
        {
            Id = Ids.New(now),
            Type = LeadType.Lead,
            Status = LeadStatus.Active,
            Name = "Unchecked enquiry",
            CreatedAt = now,
            UpdatedAt = now,
            DuplicateCheck = new DuplicateCheck { Status = DuplicateCheckStatus.Pending },
        };
        contact(lead);
        var created = LogEntries.New(lead.Id, now, LogKind.Created, "Lead created.", null, LeadFunctions.Domain.Access.Actor.System);
        (await Host.Services.GetRequiredService<LeadStore>().InsertAsync(lead, [created], Ct)).Should().BeTrue();
        return lead.Id;
    }

    private async Task GoneAsync(string id)
    {
        using var gone = await Client.GetAsync($"leads/{id}", Ct);
        await gone.ShouldHaveStatusAsync(HttpStatusCode.NotFound);
    }
}
