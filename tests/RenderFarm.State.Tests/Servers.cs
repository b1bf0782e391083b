using RenderFarm.Testing;

namespace RenderFarm.State.Tests;

/// <summary>One in-process Garnet for the Garnet suite.</summary>
public sealed class GarnetServerFixture : IAsyncLifetime
{
    public RedisServer Server { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Server = RedisServer.StartGarnet();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>The real redis-server for the Redis suite.</summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    public RedisServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RedisServer.StartRedisAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
