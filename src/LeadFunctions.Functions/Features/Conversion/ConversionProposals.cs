using LeadFunctions.Domain.Conversion;
using LeadFunctions.Domain.Errors;
using LeadFunctions.Domain.Matching;
using LeadFunctions.Domain.Model;
using LeadFunctions.Functions.Features.Directory;
using LeadFunctions.Functions.Features.Leads;
using LeadFunctions.Functions.Features.Merges;

namespace LeadFunctions.Functions.Features.Conversion;

/// <summary>
/// The conversion dialog's defaults (SPEC 4.3): the action, the records to merge, and the customer
/// to link or create, judged on what a merge with the similar records would leave.
/// </summary>
public sealed class ConversionProposals(LeadReader records, DirectoryService directoryService, MergeService merges)
{
    public async Task<ConversionProposal> DefaultsAsync(string id, CancellationToken ct)
    {
        var lead = await records.GetAsync(id, ct);
        ConversionGuard.EnsureConvertible(lead);
        var similar = await records.SimilarAsync(id, ct);
        return await ProposeAsync(lead, similar, ConversionDefaults.DefaultMergeWith(similar), ct);
    }

    /// <summary>The defaults, with the customer choice made for what a merge would leave.</summary>
    public async Task<ConversionProposal> ProposeAsync(Lead lead, IReadOnlyList<SimilarRecord> similar, IReadOnlyList<string> mergeWith, CancellationToken ct)
    {
        Lead? result = null;
        if (mergeWith.Count > 0)
        {
            try
            {
                result = (await merges.MergeAsync([lead.Id, .. mergeWith], new Domain.Merging.MergeOptions(), dryRun: true, ct)).Lead;
            }
            catch (Exception e) when (e is ValidationException or NotFoundException or ConflictException)
            {
                // The similar list can lag behind a merge: the defaults stay those of the lead itself.
            }
        }
        return ConversionDefaults.Propose(lead, similar, await SuggestedCustomerAsync(result ?? lead, ct), result);
    }


    public async Task<Customer?> SuggestedCustomerAsync(Lead lead, CancellationToken ct) =>
        EmailAddress.Normalize(lead.Email) is { } email
            ? ConversionDefaults.SuggestCustomer(lead, await directoryService.CustomersByEmailAsync(email, ct))
            : null;
}
