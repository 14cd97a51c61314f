using LeadFunctions.Domain.Access;
using LeadFunctions.Domain.Leads;
using LeadFunctions.Domain.Model;
using LeadFunctions.Domain.Errors;
using LeadFunctions.Functions.Features.Access;
using LeadFunctions.Functions.Http;
using LeadFunctions.Infrastructure;
using LeadFunctions.Infrastructure.Directory;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace LeadFunctions.Functions.Features.Directory;

/// <summary>Sales teams, salespeople, customers and the global settings.</summary>
public sealed class DirectoryFunctions(DirectoryService directory, DirectoryStore store, DecisionTally tally, IdempotentCreate idempotent, ILogger<DirectoryFunctions> logger)
{
    /// <summary>The settings and each rule's observed precision: two point reads, however many decisions there were.</summary>
    [Function("GetSettings")]
    public Task<IActionResult> GetSettings([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "settings")] HttpRequest req) =>
        Api.RunAsync(req, logger, Role.Sales, async ct =>
        {
            var settings = store.GetSettingsAsync<SettingsView>(ct);
            var observed = tally.ReadAsync(ct);
            (await settings).ObservedPrecision = await observed;
            return ApiResults.Json(await settings);
        });

    [Function("PutSettings")]
    public Task<IActionResult> PutSettings([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "settings")] HttpRequest req) =>
        Api.RunAsync(req, logger, Role.Admin, async ct =>
        {
            var body = await RequestBody.ReadJsonObjectAsync(req, ct);
            // Named rather than "unknown": GET shows it, so a client sending back what it read should learn why.
            if (body.ContainsKey("observedPrecision"))
            {
                throw ValidationException.For("observedPrecision", "This field is read-only: it is counted from merges and dismissals, never set.");
            }
            return ApiResults.Json(await directory.PutSettingsAsync(JsonInput.Deserialize<Settings>(body), ct));
        });

    [Function("CreateTeam")]
    public Task<IActionResult> CreateTeam([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "teams")] HttpRequest req) =>
        CreateAsync<Team>(req, "teams", directory.CreateTeamAsync);

    [Function("ListTeams")]
    public Task<IActionResult> ListTeams([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "teams")] HttpRequest req) =>
        ListAsync<Team>(req);

    [Function("GetTeam")]
    public Task<IActionResult> GetTeam([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "teams/{id}")] HttpRequest req, string id) =>
        GetAsync<Team>(req, id);

    [Function("PatchTeam")]
    public Task<IActionResult> PatchTeam([HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "teams/{id}")] HttpRequest req, string id) =>
        PatchAsync(req, id, directory.PatchTeamAsync);

    /// <summary>
    /// Replaces a team: its rules, members and respond settings, and (in <c>capacity</c>, salesperson
    /// id → records per 30 days) its members' capacity, in one request (SPEC 11).
    /// </summary>
    [Function("PutTeam")]
    public Task<IActionResult> PutTeam([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "teams/{id}")] HttpRequest req, string id) =>
        Api.RunAsync(req, logger, Role.Manager, async ct =>
        {
            var body = await RequestBody.ReadJsonObjectAsync(req, ct);
            var capacities = body.Remove("capacity", out var capacity) && capacity is not null
                ? JsonInput.Deserialize<Dictionary<string, int>>(capacity)
                : [];
            return ApiResults.Json(await directory.PutTeamAsync(id, JsonInput.Deserialize<Team>(body), capacities, ct));
        });

    [Function("CreateSalesperson")]
    public Task<IActionResult> CreateSalesperson([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "salespeople")] HttpRequest req) =>
        CreateAsync<Salesperson>(req, "salespeople", (person, id, ct) =>
        {
            GuardSignInFields(req, person.Role is not null || person.ObjectId is not null || !person.Active);
            return directory.CreateSalespersonAsync(person, id, ct);
        });

    [Function("ListSalespeople")]
    public Task<IActionResult> ListSalespeople([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "salespeople")] HttpRequest req) =>
        ListAsync<Salesperson>(req);

    [Function("GetSalesperson")]
    public Task<IActionResult> GetSalesperson([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "salespeople/{id}")] HttpRequest req, string id) =>
        GetAsync<Salesperson>(req, id);

    [Function("PatchSalesperson")]
    public Task<IActionResult> PatchSalesperson([HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "salespeople/{id}")] HttpRequest req, string id) =>
        PatchAsync(req, id, (id, patch, ct) =>
        {
            GuardSignInFields(req, patch.FieldNames.Any(SignInFields.Contains));
            return directory.PatchSalespersonAsync(id, patch, ct);
        });

    /// <summary>What decides who a signed-in person is and may do (SPEC 10).</summary>
    private static readonly HashSet<string> SignInFields = ["role", "objectId", "active", "email"];

    /// <summary>
    /// Only an admin hands out roles, links accounts, (de)activates or changes a sign-in email: a
    /// manager who could would make themselves admin, act under another's name, or lock admins out.
    /// </summary>
    private static void GuardSignInFields(HttpRequest req, bool touched)
    {
        if (touched && !RequestAccess.CallerOf(req).Has(Role.Admin))
        {
            throw new ForbiddenException("Only an admin may set a salesperson's role, objectId or active, or change their email.");
        }
    }

    [Function("CreateCustomer")]
    public Task<IActionResult> CreateCustomer([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "customers")] HttpRequest req) =>
        CreateAsync<Customer>(req, "customers", directory.CreateCustomerAsync);

    [Function("ListCustomers")]
    public Task<IActionResult> ListCustomers([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "customers")] HttpRequest req) =>
        req.Query["email"].FirstOrDefault() is { } email
            ? Api.RunAsync(req, logger, Role.Sales, async ct => ApiResults.Json(new Page<Customer>(await directory.CustomersByEmailAsync(email, ct), null)))
            : ListAsync<Customer>(req);

    [Function("GetCustomer")]
    public Task<IActionResult> GetCustomer([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "customers/{id}")] HttpRequest req, string id) =>
        GetAsync<Customer>(req, id);

    // Teams, salespeople and customers are read, made and changed alike: each route names its
    // record type and its service call, and the rest is one piece of code per verb.

    /// <summary>201, with the new record's address under the route it was posted to.</summary>
    private Task<IActionResult> CreateAsync<T>(HttpRequest req, string route, Func<T, string, CancellationToken, Task<T>> create) where T : class, IDirectoryRecord =>
        Api.RunAsync(req, logger, Role.Manager, async ct =>
        {
            var body = await RequestBody.ReadJsonObjectAsync(req, ct);
            var input = JsonInput.Deserialize<T>(body);
            return await idempotent.RunAsync(req, route, body.ToJsonString(), null,
                async (id, ct) =>
                {
                    var record = await create(input, id, ct);
                    return ApiResults.Created(req, $"/api/{route}/{record.Id}", record);
                },
                async (id, ct) => await store.FindAsync<T>(id, ct) is { } record ? ApiResults.Created(req, $"/api/{route}/{id}", record) : null,
                ct);
        });

    private Task<IActionResult> GetAsync<T>(HttpRequest req, string id) where T : class =>
        Api.RunAsync(req, logger, Role.Sales, async ct => ApiResults.Json(await directory.GetAsync<T>(id, ct)));

    private Task<IActionResult> PatchAsync<T>(HttpRequest req, string id, Func<string, MergePatch, CancellationToken, Task<T>> patch) =>
        Api.RunAsync(req, logger, Role.Manager, async ct => ApiResults.Json(await patch(id, await RequestBody.ReadMergePatchAsync(req, ct), ct)));

    private Task<IActionResult> ListAsync<T>(HttpRequest req) =>
        Api.RunAsync(req, logger, Role.Sales, async ct =>
        {
            var (pageSize, token) = Query.Paging(req);
            var page = await store.ListAsync<T>(pageSize, token, ct);
            return ApiResults.Json(page);
        });
}
