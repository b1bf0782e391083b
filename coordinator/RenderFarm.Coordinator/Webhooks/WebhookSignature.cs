using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RenderFarm.Coordinator.Webhooks;

/// <summary>
/// The <c>RenderFarm-Signature</c> header: <c>t={unix seconds},v1={hex HMAC-SHA256(secret, "{t}.{body}")}</c>.
/// Receivers recompute v1 over the raw body and refuse old timestamps (replays).
/// </summary>
internal static class WebhookSignature
{
    public const string Header = "RenderFarm-Signature";

    public static string Compute(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var t = unixSeconds.ToString(CultureInfo.InvariantCulture);
        var signed = new byte[Encoding.UTF8.GetByteCount(t) + 1 + body.Length];
        var n = Encoding.UTF8.GetBytes(t, signed);
        signed[n] = (byte)'.';
        body.CopyTo(signed.AsSpan(n + 1));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }
}
