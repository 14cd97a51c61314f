using LeadFunctions.Domain.Access;
using LeadFunctions.Domain.Conversion;
using LeadFunctions.Functions.OpenApi;

namespace LeadFunctions.Functions.Features.Conversion;

/// <summary>The Conversion routes in the OpenAPI document: what each reads and answers, and the schemas they name.</summary>
internal static class ConversionApi
{
    public static Operation[] Operations { get; } =
    [
        new("get", "/leads/{id}/conversion", "getConversionDefaults", OpenApiTags.Conversion, "What a conversion dialog shows first: action, duplicates a merge would take, customer, salesperson and team.",
            new Answer(200, "The defaults.", "ConversionProposal"),
            new Answer(409, "The record cannot convert (not an active lead, or merged).", "Problem"))
        { Role = Role.Sales },
        new("post", "/leads/{id}/convert", "convertLead", OpenApiTags.Conversion, "Convert a lead into an opportunity (merging its duplicates first with action merge); anything left out takes the defaults.",
            new Answer(200, "The converted record, its customer and the merge done first.", "ConversionResult", "ETag"),
            new Answer(409, "The record cannot convert (not an active lead, or merged).", "Problem"))
        { Role = Role.Sales, Request = new Body("ConvertRequest", Required: false) },
        new("post", "/conversions", "convertLeads", OpenApiTags.Conversion, "Convert up to 100 leads, salespeople assigned round-robin; one result per lead.",
            new Answer(200, "One result per lead, in the order given.", "BulkConvertResponse"))
        { Role = Role.Manager, Request = new Body("BulkConvertRequest") },
    ];

    public static void AddSchemas(OpenApiSchemas schemas)
    {
        schemas
            .Add(typeof(ConversionProposal), "ConversionProposal", "What a conversion dialog shows first.")
            .Add(typeof(CustomerChoice), "CustomerChoice", "A customer mode, with the customer for link.")
            .Add(typeof(ConvertRequest), "ConvertRequest", "A conversion; anything left out takes the defaults.", required: [])
            .Add(typeof(CustomerRequest), "CustomerRequest", "The customer mode, with the customer to link for link.", required: [])
            .Add(typeof(ConversionResult), "ConversionResult", "The converted record, its customer, and the merge done first.")
            .Add(typeof(BulkConvertRequest), "BulkConvertRequest", "Up to 100 leads, and how to assign and convert them.", required: ["leadIds"])
            .Add(typeof(BulkConvertResult), "BulkConvertResult", "One lead's outcome: converted or failed.")
            .Add(typeof(BulkConvertResponse), "BulkConvertResponse", "One result per lead.");
    }
}
