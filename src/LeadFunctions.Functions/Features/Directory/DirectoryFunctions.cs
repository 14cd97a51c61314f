using LeadFunctions.Domain.Model;
using LeadFunctions.Functions.Http;
using LeadFunctions.Infrastructure;
using LeadFunctions.Infrastructure.Directory;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace LeadFunctions.Functions.Features.Directory;

/// <summary>Sales teams, salespeople, customers and the global settings.</summary>
public sealed class DirectoryFunctions(DirectoryService directory, DirectoryStore store, ILogger<DirectoryFunctions> logger)
{
    [Function("GetSettings")]
    public Task<IActionResult> GetSettings([HttpTrigger(AuthorizationLevel.Function, "get", Route = "settings")] HttpRequest req) =>
        Api.RunAsync(req, logger, async ct => ApiResults.Json(await store.GetSettingsAsync(ct)));

    [Function("PutSettings")]
    public Task<IActionResult> PutSettings([HttpTrigger(AuthorizationLevel.Function, "put", Route = "settings")] HttpRequest req) =>
        Api.RunAsync(req, logger, async ct => ApiResults.Json(await directory.PutSettingsAsync(JsonInput.Deserialize<Settings>(await RequestBody.ReadJsonObjectAsync(req, ct)), ct)));

    [Function("CreateTeam")]
    public Task<IActionResult> CreateTeam([HttpTrigger(AuthorizationLevel.Function, "post", Route = "teams")] HttpRequest req) =>
        Api.RunAsync(req, logger, async ct =>
        {
            var team = await directory.CreateTeamAsync(JsonInput.Deserialize<Team>(await RequestBody.ReadJsonObjectAsync(req, ct)), ct);
            return ApiResults.Created(req, $"/api/teams/{team.Id}", team);
        });

    [Function("ListTeams")]
    public Task<IActionResult> ListTeams([HttpTrigger(AuthorizationLevel.Function, "get", Route = "teams")] HttpRequest req) =>
        ListAsync<Team>(req);

    [Function("GetTeam")]
    public Task<IActionResult> GetTeam([HttpTrigger(AuthorizationLevel.Function, "get", Route = "teams/{id}")] HttpRequest req, string id) =>
        Api.RunAsync(req, logger, async ct => ApiResults.Json(await directory.GetAsync<Team>(id, ct)));

    [Function("PatchTeam")]
    public Task<IActionResult> PatchTeam([HttpTrigger(AuthorizationLevel.Function, "patch", Route = "teams/{id}")] HttpRequest req, string id) =>
        Api.RunAsync(req, logger, async ct => ApiResults.Json(await directory.PatchTeamAsync(id, await RequestBody.ReadMergePatchAsync(req, ct), ct)));

    [Function("CreateSalesperson")]
    public Task<IActionResult> CreateSalesperson([HttpTrigger(AuthorizationLevel.Function, "post", Route = "salespeople")] HttpRequest req) =>
        Api.RunAsync(req, logger, async ct =>
        {
            var person = await directory.CreateSalespersonAsync(JsonInput.Deserialize<Salesperson>(await RequestBody.ReadJsonObjectAsync(req, ct)), ct);
            return ApiResults.Created(req, $"/api/salespeople/{person.Id}", person);
        });

    [Function("ListSalespeople")]
    public Task<IActionResult> ListSalespeople([HttpTrigger(AuthorizationLevel.Function, "get", Route = "salespeople")] HttpRequest req) =>
        ListAsync<Salesperson>(req);

    [Function("GetSalesperson")]
    public Task<IActionResult> GetSalesperson([HttpTrigger(AuthorizationLevel.Function, "get", Route = "salespeople/{id}")] HttpRequest req, string id) =>
        Api.RunAsync(req, logger, async ct => ApiResults.Json(await directory.GetAsync<Salesperson>(id, ct)));

    [Function("PatchSalesperson")]
    public Task<IActionResult> PatchSalesperson([HttpTrigger(AuthorizationLevel.Function, "patch", Route = "salespeople/{id}")] HttpRequest req, string id) =>
        Api.RunAsync(req, logger, async ct => ApiResults.Json(await directory.PatchSalespersonAsync(id, await RequestBody.ReadMergePatchAsync(req, ct), ct)));

    [Function("CreateCustomer")]
    public Task<IActionResult> CreateCustomer([HttpTrigger(AuthorizationLevel.Function, "post", Route = "customers")] HttpRequest req) =>
        Api.RunAsync(req, logger, async ct =>
        {
            var customer = await directory.CreateCustomerAsync(JsonInput.Deserialize<Customer>(await RequestBody.ReadJsonObjectAsync(req, ct)), ct);
            return ApiResults.Created(req, $"/api/customers/{customer.Id}", customer);
        });

    [Function("ListCustomers")]
    public Task<IActionResult> ListCustomers([HttpTrigger(AuthorizationLevel.Function, "get", Route = "customers")] HttpRequest req) =>
        req.Query["email"].FirstOrDefault() is { } email
            ? Api.RunAsync(req, logger, async ct => ApiResults.Json(new Page<Customer>(await directory.CustomersByEmailAsync(email, ct), null)))
            : ListAsync<Customer>(req);

    [Function("GetCustomer")]
    public Task<IActionResult> GetCustomer([HttpTrigger(AuthorizationLevel.Function, "get", Route = "customers/{id}")] HttpRequest req, string id) =>
        Api.RunAsync(req, logger, async ct => ApiResults.Json(await directory.GetAsync<Customer>(id, ct)));

    private Task<IActionResult> ListAsync<T>(HttpRequest req) =>
        Api.RunAsync(req, logger, async ct =>
        {
            var (pageSize, token) = Query.Paging(req);
            var page = await store.ListAsync<T>(pageSize, token, ct);
            return ApiResults.Json(page);
        });
}
