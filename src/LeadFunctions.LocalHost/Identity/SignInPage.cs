using System.Text;
using System.Text.Encodings.Web;

namespace LeadFunctions.LocalHost.Identity;

/// <summary>
/// The development sign-in page: a plain form (labels, a fieldset for the roles, no script, no
/// external resources) that works with the keyboard alone. Everything echoed is HTML-encoded: the
/// request's parameters come from whatever page sent the browser here.
/// </summary>
public static class SignInPage
{
    /// <summary>Inline styles only, no script, and no framing (the page must not be clicked through inside another site).</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'";

    private static readonly (string Role, string Meaning)[] RoleChoices =
    [
        ("sales", "work records: create, change, notes, convert, merge"),
        ("manager", "also bulk conversion, imports, teams, salespeople, customers"),
        ("admin", "also settings, webhooks, erasures, API keys"),
    ];

    /// <param name="people">Known salespeople (email, name) offered as suggestions.</param>
    /// <param name="problem">The field at fault and why, after a refused submit.</param>
    public static string Render(
        AuthorizeRequest request,
        string action,
        string? email,
        string? name,
        IReadOnlyCollection<string> roles,
        IReadOnlyList<(string Email, string Name)> people,
        (string Field, string Message)? problem)
    {
        var html = new StringBuilder();
        Head(html, "Sign in (development)");
        html.Append("<h1>Sign in to LeadFunctions</h1>")
            .Append("<p>Development sign-in on this machine: say who you are, no password. The local host signs the token with a key made at its start, so tokens end with it.</p>");
        if (problem is { } p)
        {
            html.Append("<div class=\"problem\" role=\"alert\" id=\"problem\"><h2>The sign-in was not accepted</h2><p>")
                .Append(E(p.Message)).Append("</p></div>");
        }

        html.Append("<form method=\"post\" action=\"").Append(E(action)).Append("\">");
        foreach (var parameter in AuthorizeRequest.Carried)
        {
            if (request.CarriedValue(parameter) is { } value)
            {
                html.Append("<input type=\"hidden\" name=\"").Append(E(parameter)).Append("\" value=\"").Append(E(value)).Append("\">");
            }
        }

        Field(html, "email", "Email", "email", email, "The salesperson you sign in as, such as lea@sales.test.", problem, required: true, list: people.Count > 0 ? "people" : null, autocomplete: "email");
        if (people.Count > 0)
        {
            html.Append("<datalist id=\"people\">");
            foreach (var person in people)
            {
                html.Append("<option value=\"").Append(E(person.Email)).Append("\">").Append(E(person.Name)).Append("</option>");
            }
            html.Append("</datalist>");
        }
        Field(html, "name", "Display name", "text", name, "Left empty: the part of the email before the @.", problem, required: false, list: null, autocomplete: "name");

        var rolesInvalid = problem?.Field == "roles";
        html.Append("<fieldset aria-describedby=\"roles-hint").Append(rolesInvalid ? " problem" : "").Append("\"><legend>Roles</legend>")
            .Append("<p class=\"hint\" id=\"roles-hint\">None ticked: the token has no roles claim, and the app looks the person up in its directory.</p>");
        foreach (var (role, meaning) in RoleChoices)
        {
            html.Append("<div class=\"choice\"><input type=\"checkbox\" name=\"roles\" id=\"role-").Append(role).Append("\" value=\"").Append(role).Append('"')
                .Append(roles.Contains(role, StringComparer.OrdinalIgnoreCase) ? " checked" : "")
                .Append("><label for=\"role-").Append(role).Append("\"><strong>").Append(role).Append("</strong>: ").Append(E(meaning)).Append("</label></div>");
        }
        html.Append("</fieldset>")
            .Append("<div class=\"actions\"><button type=\"submit\" name=\"action\" value=\"sign-in\">Sign in</button>")
            .Append("<button type=\"submit\" name=\"action\" value=\"cancel\" formnovalidate>Cancel</button></div>")
            .Append("</form>")
            .Append("<p class=\"hint\">Signing in sends you back to <code>").Append(E(request.RedirectUri)).Append("</code> (client <code>").Append(E(request.ClientId)).Append("</code>).</p>");
        return Foot(html);
    }

    /// <summary>Writes a page of this provider: never cached, never sniffed, under the policy above.</summary>
    public static async Task WriteAsync(HttpContext context, int status, string html)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        await context.Response.WriteAsync(html, context.RequestAborted);
    }

    /// <summary>A refused request, shown instead of redirected: its redirect_uri may be what is wrong.</summary>
    public static string Refusal(string message)
    {
        var html = new StringBuilder();
        Head(html, "Sign-in request refused (development)");
        html.Append("<h1>This sign-in request cannot be served</h1><p role=\"alert\">").Append(E(message)).Append("</p>");
        return Foot(html);
    }

    public static string SignedOut()
    {
        var html = new StringBuilder();
        Head(html, "Signed out (development)");
        html.Append("<h1>Signed out</h1><p>The local host keeps no session: close this tab, or go back to the app and sign in again.</p>");
        return Foot(html);
    }

    private static void Field(StringBuilder html, string id, string label, string type, string? value, string hint, (string Field, string Message)? problem, bool required, string? list, string autocomplete)
    {
        var invalid = problem?.Field == id;
        html.Append("<div class=\"field\"><label for=\"").Append(id).Append("\">").Append(label).Append("</label>")
            .Append("<input id=\"").Append(id).Append("\" name=\"").Append(id).Append("\" type=\"").Append(type).Append("\" autocomplete=\"").Append(autocomplete).Append('"')
            .Append(" maxlength=\"").Append(id == "name" ? DevUser.MaxNameLength : 254).Append('"')
            .Append(" value=\"").Append(E(value ?? "")).Append('"')
            .Append(" aria-describedby=\"").Append(id).Append("-hint").Append(invalid ? " problem" : "").Append('"')
            .Append(required ? " required" : "").Append(invalid ? " aria-invalid=\"true\" autofocus" : "")
            .Append(list is null ? "" : $" list=\"{list}\"")
            .Append(problem is null && id == "email" ? " autofocus" : "")
            .Append("><p class=\"hint\" id=\"").Append(id).Append("-hint\">").Append(E(hint)).Append("</p></div>");
    }

    private static void Head(StringBuilder html, string title) =>
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(E(title)).Append(" – LeadFunctions</title><style>")
            .Append("body{font-family:system-ui,sans-serif;line-height:1.5;margin:0;padding:1rem;color:#1b1b1b;background:#fff}")
            .Append("main{max-width:34rem;margin:0 auto}label,legend{font-weight:600;display:block}")
            .Append("input[type=email],input[type=text]{width:100%;box-sizing:border-box;font:inherit;padding:.5rem;border:1px solid #555;border-radius:4px}")
            .Append(".field,fieldset{margin:0 0 1rem}fieldset{border:1px solid #999;border-radius:4px;padding:.5rem 1rem}")
            .Append(".choice{display:flex;gap:.5rem;align-items:baseline}.choice label{font-weight:normal;display:inline}")
            .Append(".hint{color:#444;margin:.25rem 0}.problem{border:2px solid #b00020;padding:0 1rem;margin:0 0 1rem}")
            .Append("button{font:inherit;padding:.5rem 1.25rem;margin-right:.5rem}")
            .Append(":focus-visible{outline:3px solid #005fcc;outline-offset:2px}code{word-break:break-all}")
            .Append("</style></head><body><main>");

    private static string Foot(StringBuilder html) => html.Append("</main></body></html>").ToString();

    private static string E(string text) => HtmlEncoder.Default.Encode(text);
}
