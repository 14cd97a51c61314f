using System.Xml.Linq;
using Azure;
using Azure.Data.Tables;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace LeadFunctions.Infrastructure.Secrets;

/// <summary>
/// The Data Protection key ring in the app's own storage account, one row per key, so that every
/// instance shares it. Written by us because the Azure package for this
/// (Azure.Extensions.AspNetCore.DataProtection.Blobs) is not served here; the ring is small and
/// read once per process (Data Protection caches it), so a table partition is enough. Data
/// Protection calls this synchronously.
/// </summary>
public sealed class TableXmlRepository(TableClient table) : IXmlRepository
{
    private const string Partition = "dataprotection";
    private const string XmlColumn = "Xml";

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        table.CreateIfNotExists();
        return table.Query<TableEntity>(e => e.PartitionKey == Partition)
            .Select(row => XElement.Parse(row.GetString(XmlColumn)))
            .ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        var row = new TableEntity(Partition, TableKeys.Escape(friendlyName)) { [XmlColumn] = element.ToString(SaveOptions.DisableFormatting) };
        try
        {
            table.AddEntity(row);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // A key's element never changes once written; a second store of one name is a retry.
        }
    }
}
