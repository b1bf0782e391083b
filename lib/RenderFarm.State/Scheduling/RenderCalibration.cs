using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace RenderFarm.State;

/// <summary>
/// How fast this farm renders, measured: render seconds per cost unit (an output second at
/// 1920x1080, 30 fps), averaged over the latest completed renders. Coordinators record, facades estimate.
/// </summary>
public sealed class RenderCalibration(IConnectionMultiplexer redis, IOptions<StateOptions> options, TimeProvider time)
{
    /// <summary>Samples the rolling figure averages.</summary>
    public const int Window = 50;

    private readonly string _prefix = options.Value.KeyPrefix;

    /// <summary>Cost units of a video: seconds x pixels x fps relative to 1920x1080 at 30 fps.</summary>
    public static double CostUnits(double seconds, int width, int height, double fps) =>
        seconds * (width * (double)height * fps) / (1920.0 * 1080 * 30);

    /// <summary>Cost units of a video and of the renditions encoded besides it in the same render (each its own frame, the same length and rate).</summary>
    public static double CostUnits(double seconds, int width, int height, double fps, IEnumerable<(int Width, int Height)> renditions) =>
        renditions.Aggregate(CostUnits(seconds, width, height, fps), (units, r) => units + CostUnits(seconds, r.Width, r.Height, fps));

    /// <summary>Records a completed render of <paramref name="costUnits"/> that took <paramref name="renderTime"/>.</summary>
    public async Task RecordAsync(double costUnits, TimeSpan renderTime)
    {
        if (costUnits <= 0 || renderTime <= TimeSpan.Zero)
        {
            return;
        }

        await redis.GetDatabase().RunAsync("calibrate", _prefix, time,
            (renderTime.TotalSeconds / costUnits).ToString("R", CultureInfo.InvariantCulture), Window);
    }

    /// <summary>The mean seconds per cost unit of the latest renders and how many renders were ever measured; null before the first.</summary>
    public async Task<(double SecondsPerUnit, long Samples)?> ReadAsync()
    {
        var db = redis.GetDatabase();
        var samples = await db.ListRangeAsync($"{_prefix}calibration");
        if (samples.Length == 0)
        {
            return null;
        }

        var count = (long)await db.StringGetAsync($"{_prefix}calibration:count");
        return (samples.Average(s => double.Parse((string)s!, CultureInfo.InvariantCulture)), count);
    }
}
