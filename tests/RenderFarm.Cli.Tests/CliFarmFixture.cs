using RenderFarm.Testing;

namespace RenderFarm.Cli.Tests;

/// <summary>An embedded farm (in-process Garnet, one node) the CLI runs against.</summary>
public sealed class CliFarmFixture : IAsyncLifetime
{
    private RedisServer _server = null!;

    public TestFarm Farm { get; private set; } = null!;

    public string Url => Farm.Host.RestUrl;

    public async Task InitializeAsync()
    {
        _server = RedisServer.StartGarnet();
        Farm = await TestFarm.StartAsync(_server);
    }

    public async Task DisposeAsync()
    {
        await Farm.DisposeAsync();
        await _server.DisposeAsync();
    }
}
