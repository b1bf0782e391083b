using System.Security.Cryptography;

namespace RenderFarm.State;

/// <summary>
/// UUIDv7 ids (32 hex digits) that sort in the order this process made them, also within one
/// millisecond: the 12 bits after the timestamp count up from a random start (RFC 9562, method 1).
/// Queues break ties of equal score by id, so productions one facade accepts in the same
/// millisecond run first come, first served.
/// </summary>
public static class OrderedIds
{
    private static readonly Lock Gate = new();
    private static long _lastMs;
    private static int _counter;

    /// <summary>The next id.</summary>
    public static string Next()
    {
        long ms;
        int counter;
        lock (Gate)
        {
            ms = Math.Max(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), _lastMs);
            if (ms == _lastMs && _counter < 0xFFF)
            {
                _counter++;
            }
            else
            {
                // A new millisecond starts low enough to leave room; an exhausted one borrows the next.
                ms = ms == _lastMs ? ms + 1 : ms;
                _counter = RandomNumberGenerator.GetInt32(0x800);
            }

            _lastMs = ms;
            counter = _counter;
        }

        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes[8..]);
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(ms >> (8 * (5 - i)));
        }

        bytes[6] = (byte)(0x70 | (counter >> 8));
        bytes[7] = (byte)counter;
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return Convert.ToHexStringLower(bytes);
    }
}
