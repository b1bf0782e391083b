using RenderFarm.Testing;

namespace RenderFarm.EndToEnd.Tests;

/// <summary>A Redis-compatible server and a farm with one local node on it, shared by a suite's tests.</summary>
public abstract class FarmFixture : IAsyncLifetime
{
    public RedisServer Server { get; private set; } = null!;
    public TestFarm Farm { get; private set; } = null!;

    protected abstract Task<RedisServer> StartServerAsync();

    public async Task InitializeAsync()
    {
        Server = await StartServerAsync();
        // Progress events thinned to 2 per second per watcher (the node reports every 200 ms).
        Farm = await TestFarm.StartAsync(Server, extra: new Dictionary<string, string?> { ["RenderFarm:Facade:MaxProgressEventsPerSecond"] = "2" });
    }

    public async Task DisposeAsync()
    {
        await Farm.DisposeAsync();
        await Server.DisposeAsync();
    }
}

public sealed class GarnetFarmFixture : FarmFixture
{
    protected override Task<RedisServer> StartServerAsync() => Task.FromResult(RedisServer.StartGarnet());
}

public sealed class RedisFarmFixture : FarmFixture
{
    protected override Task<RedisServer> StartServerAsync() => RedisServer.StartRedisAsync();
}

/// <summary>A farm on Garnet with <paramref name="nodes"/> local nodes and settings of its own.</summary>
public abstract class GarnetFarmWith(int nodes, Dictionary<string, string?> settings) : IAsyncLifetime
{
    public RedisServer Server { get; private set; } = null!;
    public TestFarm Farm { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = RedisServer.StartGarnet();
        Farm = await TestFarm.StartAsync(Server, nodes, settings);
    }

    public async Task DisposeAsync()
    {
        await Farm.DisposeAsync();
        await Server.DisposeAsync();
    }
}
