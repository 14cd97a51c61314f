using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using LeadFunctions.Azurite;
using Microsoft.Playwright;

namespace LeadFunctions.Functions.Tests.Features.Console;

/// <summary>
/// The pinned Chromium (<see cref="PinnedChromium"/>) driven by Playwright, a local host of its own (on the run's Azurite) whose
/// allowed origin is a loopback site, and a second site that is not allowed.
/// </summary>
public sealed class ConsoleBrowser(SharedHost shared) : IAsyncLifetime
{
    private IPlaywright? playwright;
    private IBrowser? browser;

    public TestHost Host { get; private set; } = null!;

    public PageServer AllowedSite { get; private set; } = null!;

    public PageServer OtherSite { get; private set; } = null!;

    public Uri ApiBase => Host.Client.BaseAddress!;

    /// <summary>An admin API key, as a user would paste it into the console.</summary>
    public string ApiKey { get; private set; } = "";

    public Uri ConsoleAddress => new(ApiBase, "console");

    /// <summary>Where screenshots go: with the test results, which CI keeps.</summary>
    public static string ScreenshotFolder
    {
        get
        {
            var root = RepositoryRoot.Find() ?? throw new InvalidOperationException("The tests run inside the repository.");
            return Path.Combine(root, "TestResults", "console");
        }
    }

    public async ValueTask InitializeAsync()
    {
        var chromium = await PinnedChromium.EnsureAsync(TestContext.Current.CancellationToken);
        AllowedSite = await PageServer.StartAsync();
        OtherSite = await PageServer.StartAsync();
        Host = await TestHost.StartAsync(shared.Azurite.ConnectionString, settings: new Dictionary<string, string?>
        {
            ["Capture:AllowedOrigins"] = AllowedSite.OriginText,
            // Many form posts come from the one loopback address of the browser.
            ["Capture:RateLimitPerMinute"] = "1000",
        });
        ApiKey = await DevCredentials.ApiKeyAsync(Host.Client, "admin", "console tests");
        // Checks wait as long as actions do: on 2 loaded cores a merge or a check can take seconds,
        // and a check or an action ends as soon as it holds, so a generous cap costs nothing.
        Assertions.SetDefaultExpectTimeout(120_000);
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium.ExecutablePath,
            Args = PinnedChromium.Args,
            Env = chromium.Environment,
            Headless = true,
        });
    }

    /// <summary>A fresh tab (its own session storage), signed in (with <paramref name="apiKey"/>, else the admin key) unless asked not to be.</summary>
    public async Task<BrowserTab> OpenAsync(bool signedIn = true, int width = 1280, int height = 900, bool javaScript = true, string? apiKey = null)
    {
        var context = await browser!.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            JavaScriptEnabled = javaScript,
            // The host's development sign-in is https with a certificate it made at start, which no
            // trust store holds: a developer's browser accepts it once, this one is told to.
            IgnoreHTTPSErrors = true,
        });
        context.SetDefaultTimeout(120_000);
        if (signedIn)
        {
            await context.AddInitScriptAsync($"sessionStorage.setItem('leadfunctions.credential', '{apiKey ?? ApiKey}')");
        }
        var page = await context.NewPageAsync();
        return new BrowserTab(context, page);
    }

    public async ValueTask DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }
        playwright?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
        if (AllowedSite is not null)
        {
            await AllowedSite.DisposeAsync();
        }
        if (OtherSite is not null)
        {
            await OtherSite.DisposeAsync();
        }
    }
}

/// <summary>One tab, with every script error and console error it shows (a CSP violation is one).</summary>
public sealed class BrowserTab : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> errors = new();

    public BrowserTab(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.Contains("Failed to load resource", StringComparison.Ordinal))
            {
                errors.Enqueue(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Enqueue(error);
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public IReadOnlyCollection<string> Errors => errors.ToArray();

    /// <summary>Saves the whole page as TestResults/console/{name}.png.</summary>
    public async Task ScreenshotAsync(string name)
    {
        System.IO.Directory.CreateDirectory(ConsoleBrowser.ScreenshotFolder);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ConsoleBrowser.ScreenshotFolder, name + ".png"), FullPage = true });
    }

    /// <summary>Presses Tab (Shift+Tab backwards) until the element has the focus, as a keyboard user would.</summary>
    public async Task TabToAsync(ILocator target, bool backwards = false, int limit = 80)
    {
        for (var i = 0; i < limit; i++)
        {
            await Page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement"))
            {
                return;
            }
        }
        throw new InvalidOperationException($"{limit} presses of Tab never reached {target}.");
    }

    /// <summary>From the console's start page through the provider's sign-in page, as a person would, until the console shows them signed in.</summary>
    public async Task SignInAsync(string email, string name, params string[] roles)
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Page.WaitForURLAsync(new Regex("/\\.auth/dev/authorize"));
        await Page.GetByLabel("Email").FillAsync(email);
        await Page.GetByLabel("Display name").FillAsync(name);
        foreach (var role in new[] { "sales", "manager", "admin" })
        {
            await RoleBox(Page, role).SetCheckedAsync(roles.Contains(role));
        }
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Page.WaitForURLAsync(url => url.Contains("/api/console", StringComparison.Ordinal));
    }

    /// <summary>A role's box on the provider's page, by its label ("sales: …"; "manager: …" mentions salespeople).</summary>
    public static ILocator RoleBox(IPage page, string role) =>
        page.GetByRole(AriaRole.Checkbox, new() { NameRegex = new Regex($"^{role}:") });

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}

/// <summary>The browser tests share one Chromium and one host, and run one at a time (2 cores).</summary>
[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleBrowser>
{
    public const string Name = "console in a browser";
}
