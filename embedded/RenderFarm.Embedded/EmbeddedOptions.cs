using System.ComponentModel.DataAnnotations;

namespace RenderFarm.Embedded;

/// <summary>The one-process farm.</summary>
public sealed class EmbeddedOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "RenderFarm:Embedded";

    /// <summary>Where Garnet's log, stored outputs, node scratch space and generated secrets live.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Local render nodes started in the process.</summary>
    [Range(0, 16)]
    public int Nodes { get; set; } = 1;

    /// <summary>Loopback port of the embedded Garnet server; 0 picks a free one.</summary>
    [Range(0, 65535)]
    public int RedisPort { get; set; }

    /// <summary>Address the facade binds in the embedded default (loopback unless opened up).</summary>
    public string BindAddress { get; set; } = "127.0.0.1";
}
