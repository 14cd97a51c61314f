using LeadFunctions.Domain.Model;
using LeadFunctions.Infrastructure.Directory;

namespace LeadFunctions.LocalHost.Identity;

/// <summary>
/// <c>/.auth/dev/authorize</c>: GET shows the sign-in page for an authorization request, POST (the
/// page's form) issues a code and redirects back to the client with it, in the query or fragment as
/// the request asked.
/// </summary>
public sealed class AuthorizeEndpoint(DevIdentityOptions options, AuthorizationGrants grants, ILogger<AuthorizeEndpoint> logger)
{
    /// <summary>The directory is read for suggestions only: the page does not wait long for it.</summary>
    private static readonly TimeSpan DirectoryWait = TimeSpan.FromSeconds(2);

    public async Task ShowAsync(HttpContext context)
    {
        var (request, refusal) = AuthorizeRequest.Read(name => context.Request.Query[name]);
        if (request is null)
        {
            await SignInPage.WriteAsync(context, StatusCodes.Status400BadRequest, SignInPage.Refusal(refusal!));
            return;
        }
        if (request.Prompt == "none")
        {
            // There is no session to sign in from silently (OpenID Connect Core 3.1.2.6).
            context.Response.Redirect(request.RedirectWith([new("error", "login_required"), new("error_description", "The development provider keeps no session: sign in interactively.")]));
            return;
        }
        var people = await PeopleAsync(context);
        await SignInPage.WriteAsync(context, StatusCodes.Status200OK, SignInPage.Render(request, options.AuthorizeUrl, request.LoginHint, null, ["sales"], people, null));
    }

    public async Task SubmitAsync(HttpContext context)
    {
        // A form posted from a page elsewhere on the web is refused: only this machine's pages sign people in.
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length > 0 && LoopbackUris.AllowedOrigin(context) is null)
        {
            await SignInPage.WriteAsync(context, StatusCodes.Status403Forbidden, SignInPage.Refusal("The sign-in form was posted from a page that is not on this machine."));
            return;
        }
        if (!context.Request.HasFormContentType)
        {
            await SignInPage.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, SignInPage.Refusal("Post the sign-in form (application/x-www-form-urlencoded)."));
            return;
        }
        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(context.RequestAborted);
        }
        catch (InvalidDataException e)
        {
            await SignInPage.WriteAsync(context, StatusCodes.Status400BadRequest, SignInPage.Refusal($"The form cannot be read: {e.Message}"));
            return;
        }
        var (request, refusal) = AuthorizeRequest.Read(name => form[name]);
        if (request is null)
        {
            await SignInPage.WriteAsync(context, StatusCodes.Status400BadRequest, SignInPage.Refusal(refusal!));
            return;
        }
        if (form["action"] == "cancel")
        {
            context.Response.Redirect(request.RedirectWith([new("error", "access_denied"), new("error_description", "The sign-in was cancelled.")]));
            return;
        }

        var roles = form["roles"].Where(r => !string.IsNullOrEmpty(r)).Select(r => r!).ToList();
        // No box ticked is a choice: a token without roles, for the app's directory fallback.
        var (user, field, problem) = DevUser.Create(form["email"], form["name"], roles);
        if (user is null)
        {
            var people = await PeopleAsync(context);
            await SignInPage.WriteAsync(context, StatusCodes.Status400BadRequest, SignInPage.Render(request, options.AuthorizeUrl, form["email"], form["name"], roles, people, (field!, problem!)));
            return;
        }
        var code = grants.IssueCode(request, user);
        context.Response.Redirect(request.RedirectWith([new("code", code)]));
    }

    private async Task<IReadOnlyList<(string Email, string Name)>> PeopleAsync(HttpContext context)
    {
        try
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            wait.CancelAfter(DirectoryWait);
            var directory = context.RequestServices.GetRequiredService<DirectoryStore>();
            var people = await directory.AllAsync<Salesperson>(wait.Token);
            return [.. people.Where(p => !string.IsNullOrWhiteSpace(p.Email)).OrderBy(p => p.Name, StringComparer.CurrentCultureIgnoreCase).Take(500).Select(p => (p.Email!, p.Name))];
        }
        catch (Exception e) when (e is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            // Suggestions are a convenience: a storage that is down or slow must not stop a sign-in.
            logger.LogWarning(e, "The sign-in page could not list the salespeople");
            return [];
        }
    }
}
