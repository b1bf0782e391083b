using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Facade.Auth;
using RenderFarm.State;
using RenderFarm.Storage;

namespace RenderFarm.Facade.Paging;

/// <summary>
/// Opaque list cursors: the create time and id of a page's last item, HMAC-signed together with the
/// tenant and the list's filter, so a token cannot be forged, edited, or replayed by another tenant
/// or against another filter (INVALID_ARGUMENT, reason INVALID_PAGE_TOKEN).
/// </summary>
internal sealed class PageTokens(IOptions<AuthOptions> auth, IOptions<StorageOptions> storage)
{
    /// <summary>AIP-158 page size when the request names none.</summary>
    public const int DefaultPageSize = 50;

    /// <summary>Larger requested sizes are coerced to this.</summary>
    public const int MaxPageSize = 1000;

    private const int MacBytes = 16;

    private readonly byte[] _key = TokenKeys.Derive(auth.Value, storage.Value, "page tokens");

    /// <summary>Checks an AIP-158 page size: negative is refused, 0 is the default, past the maximum is coerced.</summary>
    public static int PageSize(int requested) => requested switch
    {
        < 0 => throw Problems.InvalidArgument("pageSize", ErrorReasons.OutOfRange, "must not be negative"),
        0 => DefaultPageSize,
        _ => Math.Min(requested, MaxPageSize),
    };

    public string Encode(PageCursor cursor, string tenant, string filter)
    {
        var payload = Encoding.UTF8.GetBytes(FormattableString.Invariant($"{cursor.CreateMs}:{cursor.Id}"));
        return $"{Base64Url.EncodeToString(payload)}.{Base64Url.EncodeToString(Mac(payload, tenant, filter))}";
    }

    /// <summary>The cursor of a token issued for this tenant and filter; null for an empty token; INVALID_PAGE_TOKEN otherwise.</summary>
    public PageCursor? Decode(string token, string tenant, string filter)
    {
        if (token.Length == 0)
        {
            return null;
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (token.Length <= 512 && dot > 0)
        {
            try
            {
                var payload = Base64Url.DecodeFromChars(token.AsSpan(0, dot));
                var mac = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
                var parts = Encoding.UTF8.GetString(payload).Split(':');
                if (CryptographicOperations.FixedTimeEquals(mac, Mac(payload, tenant, filter))
                    && parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
                {
                    return new PageCursor(ms, parts[1]);
                }
            }
            catch (FormatException)
            {
            }
        }

        throw Problems.InvalidArgument("pageToken", ErrorReasons.InvalidPageToken,
            "is not a token this API returned for this caller and filter");
    }

    private byte[] Mac(byte[] payload, string tenant, string filter)
    {
        var bound = Encoding.UTF8.GetBytes($"{tenant}\n{filter}\n").Concat(payload).ToArray();
        return HMACSHA256.HashData(_key, bound)[..MacBytes];
    }
}
