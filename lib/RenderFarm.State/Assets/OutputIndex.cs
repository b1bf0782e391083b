using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace RenderFarm.State;

/// <summary>
/// Succeeded productions by end time (the prelude's <c>finished</c> adds them), for the retention
/// sweep: outputs older than the retention are deleted and their production's result marked expired.
/// </summary>
public sealed class OutputIndex(IConnectionMultiplexer redis, IOptions<StateOptions> options, TimeProvider time)
{
    private readonly Keys _keys = new(options.Value.KeyPrefix);
    private IDatabase Db => redis.GetDatabase();

    /// <summary>Ids of up to <paramref name="max"/> productions that succeeded before <paramref name="before"/>, oldest first.</summary>
    public async Task<IReadOnlyList<string>> EndedBeforeAsync(DateTimeOffset before, int max)
    {
        var ids = await Db.SortedSetRangeByScoreAsync(_keys.Outputs, double.NegativeInfinity, before.ToUnixTimeMilliseconds(), take: max);
        return [.. ids.Select(v => (string)v!)];
    }

    /// <summary>Marks the production's result expired and drops it from the index; false when it no longer exists.</summary>
    public async Task<bool> ExpireAsync(string id) =>
        (int)await Db.RunAsync("expire", _keys.Prefix, time, id) == 1;
}
