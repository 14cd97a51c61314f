using LeadFunctions.Domain.Conversion;
using LeadFunctions.Domain.Errors;
using LeadFunctions.Domain.Leads;
using LeadFunctions.Domain.Model;
using LeadFunctions.Functions.Features.Leads;
using LeadFunctions.Functions.Features.Merges;
using LeadFunctions.Infrastructure.Access;
using LeadFunctions.Infrastructure.Directory;
using LeadFunctions.Infrastructure.Leads;

namespace LeadFunctions.Functions.Features.Conversion;

/// <summary>
/// Converts one lead (SPEC 4.3): convert, or merge then convert. The merge-then-convert request
/// is written on the record first (<see cref="PendingConversions"/>), so that a retry after a crash
/// between the two finishes the conversion.
/// </summary>
public sealed class ConvertHandler(
    LeadReader records,
    LeadUpdater updater,
    ConversionProposals proposals,
    PendingConversions pendings,
    RecordConverter converter,
    DirectoryStore directory,
    MergeService merges)
{
    public async Task<ConversionResult> ConvertAsync(string id, ConvertRequest request, CancellationToken ct)
    {
        var row = await updater.ReadFreeAsync(id, ct);
        if (await pendings.ResumeAsync(row, ct) is { } resumed)
        {
            return resumed;
        }
        var lead = row.ToLead();
        ConversionGuard.EnsureConvertible(lead);
        await ValidateAssignmentAsync(request.UserId, request.TeamId, ct);
        var similar = await records.SimilarAsync(id, ct);
        var duplicates = ConversionDefaults.DefaultMergeWith(similar);
        var action = request.Action ?? (duplicates.Count > 0 ? ConversionAction.Merge : ConversionAction.Convert);
        var mergeWith = action == ConversionAction.Merge
            ? (request.MergeWith ?? [.. duplicates]).Where(m => m != id).Distinct().ToList()
            : [];
        var choice = request.Customer?.Mode is null
            ? (await proposals.ProposeAsync(lead, similar, mergeWith, ct)).Customer
            : await CustomerChoiceAsync(request.Customer, ct);
        if (mergeWith.Count == 0)
        {
            return await converter.ConvertAsync(id, choice, request.UserId, request.TeamId, afterMerge: false, ActorScope.Current, ct);
        }
        return await MergeThenConvertAsync(row, new PendingConversion(choice, request.UserId, request.TeamId, mergeWith, ActorScope.Current), ct);
    }

    /// <summary>
    /// The merge, then the conversion of what it leaves. The request is written on the record
    /// first, so that a retry after a crash between the two finishes the conversion.
    /// </summary>
    private async Task<ConversionResult> MergeThenConvertAsync(StoredLead row, PendingConversion pending, CancellationToken ct)
    {
        var id = row.Id;
        await pendings.MarkAsync(row, pending, ct);
        Merges.MergeResponse merge;
        try
        {
            merge = await merges.MergeAsync([id, .. pending.MergeWith], new Domain.Merging.MergeOptions(), dryRun: false, ct);
        }
        catch (Exception e) when (e is ValidationException or NotFoundException or ConflictException)
        {
            await pendings.ClearAsync(id, null, ct);
            throw;
        }
        var result = await converter.ConvertAsync(merge.SurvivorId, pending.Choice, pending.UserId, pending.TeamId, afterMerge: true, pending.Actor ?? Domain.Access.Actor.System, ct);
        await pendings.ClearAsync(id, merge.SurvivorId, ct);
        return result with { MergeId = merge.MergeId };
    }

    private async Task<CustomerChoice> CustomerChoiceAsync(CustomerRequest request, CancellationToken ct)
    {
        switch (request.Mode)
        {
            case CustomerMode.Link:
                if (request.CustomerId is not { Length: > 0 } customerId)
                {
                    throw ValidationException.For("customer.customerId", "Linking needs the customer's id.");
                }
                if (await directory.FindAsync<Customer>(customerId, ct) is null)
                {
                    throw ValidationException.For("customer.customerId", "No customer has this id.");
                }
                return CustomerChoice.Link(customerId);
            case CustomerMode.Create:
                return CustomerChoice.Create;
            default:
                return CustomerChoice.None;
        }
    }

    private async Task ValidateAssignmentAsync(string? userId, string? teamId, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (userId is not null && await directory.FindAsync<Salesperson>(userId, ct) is null)
        {
            errors.Add("userId", "No salesperson has this id.");
        }
        if (teamId is not null && await directory.FindTeamCachedAsync(teamId, ct) is null)
        {
            errors.Add("teamId", "No team has this id.");
        }
        if (!errors.IsEmpty)
        {
            throw new ValidationException(errors);
        }
    }
}
