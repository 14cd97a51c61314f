using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace LeadFunctions.LocalHost.Identity;

/// <summary>
/// One RSA key per process, made at start and never stored: a restart makes every local token
/// invalid, as a key rollover would, and no private key ever lands on disk or in the repository.
/// </summary>
public sealed class DevSigningKey : IDisposable
{
    private readonly RSA rsa = RSA.Create(2048);

    public DevSigningKey()
    {
        var key = new RsaSecurityKey(rsa);
        // The RFC 7638 thumbprint: a kid that names this key and no other.
        key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        Credentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256);
        KeyId = key.KeyId;

        var publicKey = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: false)));
        PublicJwk = new PublicKey(publicKey.Kty, "sig", KeyId, publicKey.N, publicKey.E, SecurityAlgorithms.RsaSha256);
    }

    public string KeyId { get; }

    public SigningCredentials Credentials { get; }

    /// <summary>The public half as a JWK with only the members a verifier reads (JsonWebKey would serialize dozens of empty ones).</summary>
    public PublicKey PublicJwk { get; }

    public void Dispose() => rsa.Dispose();

    public sealed record PublicKey(string Kty, string Use, string Kid, string N, string E, string Alg);
}
