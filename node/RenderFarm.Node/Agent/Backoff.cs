namespace RenderFarm.Node.Agent;

/// <summary>Capped exponential backoff with full jitter, so a fleet does not reconnect in lockstep.</summary>
internal static class Backoff
{
    public static TimeSpan Delay(int attempt, TimeSpan min, TimeSpan max, Random random)
    {
        var ceiling = Math.Min(max.TotalMilliseconds, min.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30)));
        return TimeSpan.FromMilliseconds(min.TotalMilliseconds / 2 + random.NextDouble() * (ceiling - min.TotalMilliseconds / 2));
    }
}
