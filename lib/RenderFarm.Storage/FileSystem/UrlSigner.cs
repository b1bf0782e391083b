using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace RenderFarm.Storage.FileSystem;

/// <summary>
/// HMAC-SHA256 over "METHOD\nkey\nexpires". The method is part of the signature, so a GET URL
/// cannot be replayed as a PUT, and neither key nor expiry can be edited.
/// </summary>
internal sealed class UrlSigner(string signingKey)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(signingKey);

    public string Sign(string method, string key, long expiresUnixSeconds) =>
        Base64Url.EncodeToString(Mac(method, key, expiresUnixSeconds));

    public bool Verify(string method, string key, long expiresUnixSeconds, string? signature)
    {
        if (string.IsNullOrEmpty(signature) || signature.Length > 64)
        {
            return false;
        }
        byte[] given;
        try
        {
            given = Base64Url.DecodeFromChars(signature);
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(given, Mac(method, key, expiresUnixSeconds));
    }

    private byte[] Mac(string method, string key, long expires) =>
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{method.ToUpperInvariant()}\n{key}\n{expires}"));
}
