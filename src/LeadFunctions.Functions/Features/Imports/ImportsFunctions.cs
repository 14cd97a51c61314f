using LeadFunctions.Domain.Access;
using System.Text.Json;
using LeadFunctions.Domain;
using LeadFunctions.Functions.Http;
using LeadFunctions.Infrastructure.Imports;
using LeadFunctions.Infrastructure.Tables;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace LeadFunctions.Functions.Features.Imports;

/// <summary>Bulk import (SPEC 4.6): start one from a CSV or JSON lines file, follow its progress, and the queue function that stores its chunks.</summary>
public sealed class ImportsFunctions(ImportService imports, ILogger<ImportsFunctions> logger)
{
    [Function("StartImport")]
    public Task<IActionResult> Start([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "imports")] HttpRequest req) =>
        Api.RunAsync(req, logger, Role.Manager, async ct =>
        {
            var csv = ImportFile.IsCsv(req);
            if (!csv && !ImportFile.IsJsonLines(req))
            {
                throw new UnsupportedMediaTypeException("Send the file as text/csv or application/x-ndjson (JSON lines), UTF-8.");
            }
            if (req.ContentType!.Contains("charset", StringComparison.OrdinalIgnoreCase)
                && !req.ContentType.Contains("charset=utf-8", StringComparison.OrdinalIgnoreCase))
            {
                throw new UnsupportedMediaTypeException("The file must be UTF-8.");
            }
            var body = await RequestBody.ReadBytesAsync(req, ImportService.MaxBytes, ct);
            var rows = csv ? ImportFile.ReadCsv(body) : ImportFile.ReadJsonLines(body);
            var (import, _) = await imports.StartAsync(rows, ImportFile.Fingerprint(csv ? "csv" : "jsonl", body), req.Headers["Idempotency-Key"].FirstOrDefault(), ct);
            req.HttpContext.Response.Headers.Location = $"/api/imports/{import.Id}";
            return ApiResults.Json(import, StatusCodes.Status202Accepted);
        });

    [Function("GetImport")]
    public Task<IActionResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "imports/{id}")] HttpRequest req, string id) =>
        Api.RunAsync(req, logger, Role.Manager, async ct => ApiResults.Json(await imports.GetAsync(id, ct)));

    [Function("ImportRows")]
    public Task Run(
        [QueueTrigger(StorageNames.ImportQueue, Connection = ServiceCollectionExtensions.StorageSetting)] string message,
        long dequeueCount,
        CancellationToken ct)
    {
        var parsed = JsonSerializer.Deserialize<ImportMessage>(message, JsonDefaults.Options);
        if (parsed is null || !Ids.IsWellFormed(parsed.ImportId) || parsed.Chunk < 0)
        {
            throw new InvalidDataException("The import message names no chunk.");
        }
        return imports.ProcessAsync(parsed, dequeueCount, ct);
    }
}
