namespace RenderFarm.Hosting;

/// <summary>
/// Which component a host is ("facade", "coordinator", "node"): the <c>component</c> label of the
/// metrics all components share, so hosts sharing one process (and one registry) keep their series apart.
/// </summary>
public sealed record FarmComponent(string Name);
