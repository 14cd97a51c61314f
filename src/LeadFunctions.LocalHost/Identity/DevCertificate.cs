using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace LeadFunctions.LocalHost.Identity;

/// <summary>
/// The TLS certificate of the provider's https listener. Entra ID's authority is https, and MSAL.js
/// refuses any other (authority_uri_insecure), so the local provider is served over https as well:
/// with the ASP.NET Core development certificate when this machine has one (after
/// <c>dotnet dev-certs https --trust</c> browsers trust it), else with a certificate made at start for
/// localhost, 127.0.0.1 and [::1], which a browser accepts once per start, like the signing key.
/// </summary>
public sealed class DevCertificate : IDisposable
{
    /// <summary>The extension that marks the certificate <c>dotnet dev-certs https</c> makes (Kestrel looks for the same).</summary>
    private const string AspNetDevelopmentOid = "1.3.6.1.4.1.311.84.1.1";

    private DevCertificate(X509Certificate2 certificate, bool fromDevCerts)
    {
        Certificate = certificate;
        FromDevCerts = fromDevCerts;
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>True when it is the machine's ASP.NET Core development certificate, false when made at start.</summary>
    public bool FromDevCerts { get; }

    public static DevCertificate Load() =>
        DevelopmentCertificate() is { } installed ? new DevCertificate(installed, true) : new DevCertificate(MakeSelfSigned(), false);

    /// <summary>
    /// For the app's own requests to the provider (discovery and keys, by the JwtBearer handler):
    /// a certificate the machine trusts, or exactly this one; nothing else.
    /// </summary>
    public bool Accepts(X509Certificate? presented, SslPolicyErrors errors) =>
        errors == SslPolicyErrors.None
        || (presented is not null && presented.GetRawCertData().AsSpan().SequenceEqual(Certificate.RawData));

    /// <summary>A handler whose TLS check is <see cref="Accepts"/>.</summary>
    public HttpMessageHandler Handler() =>
        new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => Accepts(certificate, errors),
            },
        };

    private static X509Certificate2? DevelopmentCertificate()
    {
        try
        {
            using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
            store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
            var now = DateTime.Now;
            return store.Certificates
                .Where(c => c.Extensions[AspNetDevelopmentOid] is not null && c.HasPrivateKey && c.NotBefore <= now && now < c.NotAfter)
                .OrderByDescending(c => c.NotAfter)
                .FirstOrDefault();
        }
        catch (CryptographicException)
        {
            // No user store yet (a fresh machine or container): nothing installed.
            return null;
        }
    }

    private static X509Certificate2 MakeSelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost (LeadFunctions development sign-in)", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build(critical: true));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], critical: false));
        var now = DateTimeOffset.UtcNow;
        using var made = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(30));
        // Round-tripped through PKCS #12 so that TLS can use the key on every platform (an ephemeral key cannot serve on Windows).
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12), null);
    }

    public void Dispose() => Certificate.Dispose();
}
