using LeadFunctions.LocalHost.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace LeadFunctions.LocalHost.Identity;

/// <summary>
/// The provider's https listener, beside the host's http one: the authority is an https URL, as
/// Entra ID's is, so that MSAL.js signs in against it unchanged. The same app answers on both (the
/// console and the API stay on http; scripts may still post to /.auth/dev/token there), but the
/// issuer, and so every address the discovery document names, is the https one.
/// </summary>
internal sealed class DevIdentityListener : IDisposable
{
    private DevIdentityListener(DevCertificate certificate, int port, ReservedLoopbackPort? reserved)
    {
        Certificate = certificate;
        Port = port;
        Reserved = reserved;
    }

    public DevCertificate Certificate { get; }

    /// <summary>The fixed port, or 0 when <see cref="Reserved"/> holds the one chosen.</summary>
    public int Port { get; }

    public ReservedLoopbackPort? Reserved { get; }

    /// <summary>https://localhost:{port}/ (https://127.0.0.1:{port}/ for a reserved port, which is bound on 127.0.0.1 only).</summary>
    public Uri BaseAddress => Reserved is null ? new Uri($"https://localhost:{Port}/") : new Uri($"https://{Reserved.EndPoint}/");

    /// <param name="hostPort">The host's http port: the provider takes the next one unless <see cref="DevIdentity.PortSetting"/> says, any free one for 0.</param>
    public static DevIdentityListener Create(IConfiguration configuration, int hostPort)
    {
        var text = configuration[DevIdentity.PortSetting];
        var port = hostPort == 0 ? 0 : hostPort + 1;
        if (!string.IsNullOrWhiteSpace(text) && !int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port))
        {
            port = -1;
        }
        if (port is < 0 or > 65535 || (port != 0 && port == hostPort))
        {
            throw new OptionsValidationException(DevIdentity.PortSetting, typeof(int),
                [$"{DevIdentity.PortSetting} is '{text ?? port.ToString(System.Globalization.CultureInfo.InvariantCulture)}': give a free port (0: any) other than the host's {hostPort}, for the development sign-in's https listener."]);
        }
        var reserved = port == 0 ? ReservedLoopbackPort.Bind() : null;
        return new DevIdentityListener(DevCertificate.Load(), port, reserved);
    }

    public void Listen(KestrelServerOptions kestrel)
    {
        void Https(ListenOptions listen)
        {
            // HTTP/1.1 only, as the http listener: the rejection rewriter reads HTTP/1.1 answers.
            listen.Protocols = HttpProtocols.Http1;
            listen.UseHttps(Certificate.Certificate);
            listen.UseProblemRejections();
        }
        if (Reserved is not null)
        {
            kestrel.Listen(Reserved.EndPoint, Https);
        }
        else
        {
            kestrel.ListenLocalhost(Port, Https);
        }
    }

    public void Dispose()
    {
        Reserved?.Dispose();
        Certificate.Dispose();
    }
}
