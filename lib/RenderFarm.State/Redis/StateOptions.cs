namespace RenderFarm.State;

/// <summary>Where farm state lives.</summary>
public sealed class StateOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "RenderFarm:Redis";

    /// <summary>StackExchange.Redis configuration string. Empty in the embedded default, which starts Garnet.</summary>
    public string Configuration { get; set; } = "";

    /// <summary>Prefix of every key and channel, so several farms (or test runs) can share one server.</summary>
    public string KeyPrefix { get; set; } = "rf:";
}
