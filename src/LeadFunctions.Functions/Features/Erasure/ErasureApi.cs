using LeadFunctions.Domain.Access;
using LeadFunctions.Domain.Model;
using LeadFunctions.Functions.OpenApi;

namespace LeadFunctions.Functions.Features.Erasure;

/// <summary>The Erasure routes in the OpenAPI document: what each reads and answers, and the schemas they name.</summary>
internal static class ErasureApi
{
    public static Operation[] Operations { get; } =
    [
        new("post", "/erasures", "startErasure", OpenApiTags.Erasures,
            "Forget a person (GDPR article 17): every record, log entry, edge, merge image, index and list entry, customer, event, webhook delivery, capture claim, idempotency key and import row holding their email or phone. Runs in the background; follow it at Location. What remains is a receipt with counts and no personal data; merges that held their records can no longer be undone.",
            new Answer(202, "Started: the receipt, status running.", "ErasureRecord", "Location"))
        { Role = Role.Admin, Request = new Body("ErasureRequest"), RequestHeaders = ["Idempotency-Key"], Errors = [409, 422] },
        new("get", "/erasures/{id}", "getErasure", OpenApiTags.Erasures, "An erasure's receipt: its status and what it erased, per kind.",
            new Answer(200, "The receipt.", "ErasureRecord"))
        { Role = Role.Admin },
    ];

    public static void AddSchemas(OpenApiSchemas schemas)
    {
        schemas
            .Add(typeof(ErasureRequest), "ErasureRequest", "The person to forget: an email, a phone, or both.", required: [])
            .Add(typeof(ErasureRecord), "ErasureRecord", "An erasure's receipt: no personal data, not even a hash.")
            .Add(typeof(ErasureCounts), "ErasureCounts", "What the erasure took out, per kind.");
    }
}
