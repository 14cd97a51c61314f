using LeadFunctions.Domain.Model;

namespace LeadFunctions.Functions.Features.Directory;

// The bodies the functions read and write that are not domain records: the functions serialize
// these very types and the OpenAPI document describes them, so the two cannot drift apart.

/// <summary>
/// GET /settings: the settings, and beside them each rule's observed precision, which is counted
/// from the team's merges and dismissals and never set (PUT refuses it).
/// </summary>
public sealed class SettingsView : Settings
{
    public ObservedPrecision ObservedPrecision { get; set; } = new();
}
