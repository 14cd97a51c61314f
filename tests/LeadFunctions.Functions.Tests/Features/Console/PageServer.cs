using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LeadFunctions.Functions.Tests.Features.Console;

/// <summary>A web site on 127.0.0.1 that serves the pages a test gives it: the customer's site a form lives on.</summary>
public sealed class PageServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly Dictionary<string, string> pages = new(StringComparer.Ordinal);

    private PageServer(WebApplication app, Uri origin)
    {
        this.app = app;
        Origin = origin;
    }

    /// <summary>The site's origin, without a trailing slash (as browsers send it).</summary>
    public Uri Origin { get; }

    public string OriginText => Origin.GetLeftPart(UriPartial.Authority);

    public static async Task<PageServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        PageServer? server = null;
        app.Run(async context =>
        {
            if (server!.Page(context.Request.Path) is { } html)
            {
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.WriteAsync(html);
                return;
            }
            context.Response.StatusCode = StatusCodes.Status404NotFound;
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new PageServer(app, new Uri(address));
        return server;
    }

    public Uri Serve(string path, string html)
    {
        lock (pages)
        {
            pages[path] = html;
        }
        return new Uri(Origin, path);
    }

    private string? Page(string path)
    {
        lock (pages)
        {
            return pages.GetValueOrDefault(path);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
