using LeadFunctions.Functions;
using LeadFunctions.Functions.Configuration;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddLeadFunctions(builder.Configuration);
// Invocation spans and the Functions resource attributes come from the worker's own OpenTelemetry package.
builder.Services.AddLeadFunctionsTelemetry(builder.Configuration)?.UseFunctionsWorkerDefaults();
builder.Build().Run();
