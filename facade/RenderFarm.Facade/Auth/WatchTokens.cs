using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Storage;

namespace RenderFarm.Facade.Auth;

/// <summary>
/// Watch tokens: what a browser's EventSource sends instead of an API key, which it cannot put in a
/// header. A token is HMAC-signed over its tenant, production (empty: every production of the
/// tenant), key id and expiry, so it cannot be edited, forged, or used past its expiry; the SSE route
/// accepts it as <c>?watchToken=</c> and nothing else does.
/// </summary>
internal sealed class WatchTokens(IOptions<AuthOptions> auth, IOptions<StorageOptions> storage, TimeProvider time)
{
    /// <summary>The query parameter the SSE route reads.</summary>
    public const string Parameter = "watchToken";

    private const int MacBytes = 16;

    private readonly byte[] _key = TokenKeys.Derive(auth.Value, storage.Value, "watch tokens");

    /// <summary>A token for <paramref name="caller"/>'s tenant and <paramref name="production"/> (empty: all), and when it expires.</summary>
    public (string Token, DateTimeOffset Expires) Mint(Caller caller, string production)
    {
        var expires = time.GetUtcNow().Add(auth.Value.WatchTokenTtl);
        var payload = Encoding.UTF8.GetBytes(string.Join('\n',
            caller.Tenant, production, caller.KeyId, expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        return ($"{Base64Url.EncodeToString(payload)}.{Base64Url.EncodeToString(Mac(payload))}", expires);
    }

    /// <summary>
    /// The grant a token carries; UNAUTHENTICATED with WATCH_TOKEN_INVALID for a token this farm did
    /// not mint (or that was edited), WATCH_TOKEN_EXPIRED for one past its expiry.
    /// </summary>
    public WatchGrant Verify(string token)
    {
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        string[]? parts = null;
        if (token.Length <= 1024 && dot > 0)
        {
            try
            {
                var payload = Base64Url.DecodeFromChars(token.AsSpan(0, dot));
                var mac = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
                if (CryptographicOperations.FixedTimeEquals(mac, Mac(payload)))
                {
                    parts = Encoding.UTF8.GetString(payload).Split('\n');
                }
            }
            catch (FormatException)
            {
            }
        }

        if (parts is not { Length: 4 } || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            throw Problems.Unauthenticated(ErrorReasons.WatchTokenInvalid, "the watch token is not one this farm issued");
        }

        if (time.GetUtcNow().ToUnixTimeSeconds() >= expires)
        {
            throw Problems.Unauthenticated(ErrorReasons.WatchTokenExpired, "the watch token has expired: mint a new one (POST /v1/watchTokens)");
        }

        return new WatchGrant(parts[0], parts[1], parts[2]);
    }

    private byte[] Mac(byte[] payload) => HMACSHA256.HashData(_key, payload)[..MacBytes];
}

/// <summary>What a verified watch token allows: watching <paramref name="Production"/> (empty: any) of <paramref name="Tenant"/>.</summary>
internal sealed record WatchGrant(string Tenant, string Production, string KeyId)
{
    public bool Covers(string production) => Production.Length == 0 || Production == production;
}

/// <summary>Endpoint metadata: the route accepts a <c>?watchToken=</c> in place of an API key.</summary>
internal sealed class WatchTokenRoute
{
    public static readonly WatchTokenRoute Instance = new();
}
