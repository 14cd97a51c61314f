namespace LeadFunctions.Domain.Model;

/// <summary>What teams, salespeople and customers share: a server-made id and creation time.</summary>
public interface IDirectoryRecord
{
    string Id { get; set; }
    DateTimeOffset CreatedAt { get; set; }
}
