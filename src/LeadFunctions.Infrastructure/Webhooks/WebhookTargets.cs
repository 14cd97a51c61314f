using System.Net;
using System.Net.Sockets;
using LeadFunctions.Domain.Webhooks;
using LeadFunctions.Infrastructure.Outbox;

namespace LeadFunctions.Infrastructure.Webhooks;

/// <summary>A webhook address that may not be reached (SPEC 6); no connection was made.</summary>
public sealed class WebhookAddressException(string message) : Exception(message);

/// <summary>
/// The address rules of <see cref="WebhookAddresses"/> applied after DNS: every address a name
/// resolves to must be allowed. Applied when a subscription is saved and again inside every
/// connection a delivery opens (the handler connects only to the addresses it has just checked),
/// so that a name that later resolves somewhere internal (DNS rebinding) still reaches nothing.
/// </summary>
public sealed class WebhookTargets(WebhookSinkOptions options, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
{
    private static readonly TimeSpan ResolveWithin = TimeSpan.FromSeconds(5);

    private readonly Func<string, CancellationToken, Task<IPAddress[]>> resolve = resolve ?? Dns.GetHostAddressesAsync;

    public bool AllowInsecureLocal => options.AllowInsecureLocal;

    /// <summary>Why the address may not receive webhooks, or null when it may.</summary>
    public async Task<string?> ProblemAsync(string url, CancellationToken ct)
    {
        if (WebhookAddresses.ShapeProblem(url, options.AllowInsecureLocal, out var uri) is { } problem)
        {
            return problem;
        }
        try
        {
            await ResolveAsync(uri!.IdnHost, uri.Scheme == Uri.UriSchemeHttp, ct);
            return null;
        }
        catch (WebhookAddressException e)
        {
            return e.Message;
        }
    }

    /// <summary>The addresses of <paramref name="host"/>, every one of them allowed.</summary>
    /// <exception cref="WebhookAddressException">The host does not resolve, or resolves to an address webhooks may not reach.</exception>
    public async Task<IPAddress[]> ResolveAsync(string host, bool http, CancellationToken ct)
    {
        host = host.Trim('[', ']');
        IPAddress[] addresses;
        if (IPAddress.TryParse(host, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            using var within = CancellationTokenSource.CreateLinkedTokenSource(ct);
            within.CancelAfter(ResolveWithin);
            try
            {
                addresses = await resolve(host, within.Token);
            }
            catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !ct.IsCancellationRequested))
            {
                throw new WebhookAddressException($"The address's host '{host}' does not resolve.");
            }
        }
        if (addresses.Length == 0)
        {
            throw new WebhookAddressException($"The address's host '{host}' does not resolve.");
        }
        foreach (var address in addresses)
        {
            if (WebhookAddresses.Refusal(address, options.AllowInsecureLocal, loopbackOnly: http) is { } refusal)
            {
                throw new WebhookAddressException(refusal);
            }
        }
        return addresses;
    }

    /// <summary>
    /// The handler deliveries go through: it resolves and checks the host on each new connection and
    /// connects only to the addresses checked. No proxy (it would connect in our stead, unchecked),
    /// no redirects (a 3xx is an answer, not a way around the rules).
    /// </summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = async (context, ct) =>
        {
            var http = context.InitialRequestMessage.RequestUri?.Scheme == Uri.UriSchemeHttp;
            var addresses = await ResolveAsync(context.DnsEndPoint.Host, http, ct);
            SocketException? failure = null;
            foreach (var address in addresses)
            {
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(address, context.DnsEndPoint.Port, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch (SocketException e)
                {
                    socket.Dispose();
                    failure = e;
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            }
            throw failure!;
        },
    };
}
