using System.Globalization;

namespace RenderFarm.State;

/// <summary>
/// The accounting period of tenant quotas and key spend limits: the calendar month, UTC, of the
/// injected clock's now, so a test with a fake clock crosses a month boundary without waiting.
/// </summary>
public static class UsagePeriod
{
    /// <summary>The first instant of the month containing <paramref name="now"/>.</summary>
    public static DateTimeOffset Start(DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
    }

    /// <summary>The period's key in Redis: <c>yyyyMM</c>.</summary>
    public static string Of(DateTimeOffset now) => Start(now).ToString("yyyyMM", CultureInfo.InvariantCulture);
}
