using System.Security.Cryptography;
using System.Text;
using RenderFarm.Storage;

namespace RenderFarm.Facade.Auth;

/// <summary>
/// HMAC keys of the opaque tokens the API hands out (page tokens, watch tokens): one per purpose,
/// derived from RenderFarm:Auth:PageTokenKey, else RenderFarm:Storage:SigningKey, so every facade
/// replica accepts the others' tokens and a token of one kind never passes as another.
/// </summary>
internal static class TokenKeys
{
    public static byte[] Derive(AuthOptions auth, StorageOptions storage, string purpose) => HMACSHA256.HashData(
        Encoding.UTF8.GetBytes(auth.PageTokenKey is { Length: > 0 } k ? k : storage.SigningKey),
        Encoding.UTF8.GetBytes($"renderfarm {purpose} v1"));
}
