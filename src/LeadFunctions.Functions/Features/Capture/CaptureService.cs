using LeadFunctions.Domain;
using LeadFunctions.Domain.Access;
using LeadFunctions.Domain.Capture;
using LeadFunctions.Domain.Errors;
using LeadFunctions.Domain.Matching;
using LeadFunctions.Functions.Features.Leads;
using LeadFunctions.Functions.Http;
using LeadFunctions.Infrastructure.Access;
using LeadFunctions.Infrastructure.Capture;
using LeadFunctions.Infrastructure.Leads;

namespace LeadFunctions.Functions.Features.Capture;

/// <summary>The outcome of a capture: the lead's id, and whether this request stored it.</summary>
public sealed record CaptureResult(string Id, bool Stored);

/// <summary>
/// Web-form capture: validate, claim (so that a repeat returns the first lead's id), store and
/// queue for duplicate detection. The claim is made before the lead is stored, under the id the
/// lead will have: a repeat that finds the claim but no lead finishes the first attempt's work.
/// </summary>
public sealed class CaptureService(CaptureGuard guard, LeadCreator leads, LeadStore store, PhoneNumbers phones)
{
    public async Task<CaptureResult> CaptureAsync(CaptureInput input, string? idempotencyKey, CancellationToken ct)
    {
        // The capture route is public: whoever posts the form is a visitor, whatever credential the
        // request may carry. The actor holds nothing of theirs (no address, no name), so an erasure
        // has nothing to take from it.
        using var visitor = ActorScope.Begin(Actor.Visitor);
        var errors = CaptureValidator.Validate(input, phones);
        if (!errors.IsEmpty)
        {
            throw new ValidationException(errors);
        }
        IdempotentCreate.Check(idempotencyKey);
        // Everything that can refuse the capture is checked before the claim: a refused capture stores nothing.
        await leads.ValidateNewAsync(input.ToLeadInput(), requireContact: true, ct);
        var contact = input.NormalizedContact(phones)!;
        var id = Ids.New();
        var first = await guard.ClaimAsync(contact, idempotencyKey, input.ContentFingerprint(contact), id, ct);
        if (first is not null)
        {
            if (await store.FindAsync(first, ct) is not null)
            {
                return new CaptureResult(first, Stored: false);
            }
            id = first;
        }
        // Listed by its first check, off the request path (SPEC 8: 3 requests or fewer).
        var lead = await leads.CreateAsync(input.ToLeadInput(), "capture", requireContact: true, ct, id, listNow: false, anonymous: true);
        return new CaptureResult(lead.Id, Stored: true);
    }
}
