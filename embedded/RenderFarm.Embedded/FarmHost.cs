using System.Globalization;
using RenderFarm.Coordinator;
using RenderFarm.Facade;
using RenderFarm.Node;
using RenderFarm.Storage;

namespace RenderFarm.Embedded;

/// <summary>
/// Facade, coordinator and local nodes as separate hosts in one process, each built by the same
/// registration the distributed deployment uses; nodes reach the coordinator over loopback gRPC.
/// Stops in order: nodes drain first, then the coordinator, the facade and Garnet.
/// </summary>
public sealed class FarmHost : IAsyncDisposable
{
    private readonly string[] _args;
    private readonly Dictionary<string, string?> _derived;
    private readonly List<(string Id, IHost Host)> _nodes = [];
    private EmbeddedRedis? _redis;

    private FarmHost(string[] args, Dictionary<string, string?> derived, string dataDirectory)
    {
        _args = args;
        _derived = derived;
        DataDirectory = dataDirectory;
    }

    /// <summary>Base URL of the REST API.</summary>
    public string RestUrl => $"http://127.0.0.1:{_derived[FarmSettings.FacadeRestPort]}";

    /// <summary>Base URL of the public gRPC API.</summary>
    public string GrpcUrl => $"http://127.0.0.1:{_derived[FarmSettings.FacadeGrpcPort]}";

    /// <summary>The admin API key of tenant "default": the configured bootstrap key, or the one generated in the data directory.</summary>
    public string AdminKey => _derived[FarmSettings.BootstrapAdminKey]!;

    /// <summary>Data directory of this farm.</summary>
    public string DataDirectory { get; }

    /// <summary>Ids of the local nodes running now.</summary>
    public IReadOnlyList<string> NodeIds => [.. _nodes.Select(n => n.Id)];

    /// <summary>Starts the farm: Garnet unless a Redis is configured, then facade, coordinator and the configured local nodes.</summary>
    public static async Task<FarmHost> StartAsync(string[] args, IDictionary<string, string?>? overrides = null, CancellationToken cancellationToken = default)
    {
        var config = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .AddInMemoryCollection(overrides ?? new Dictionary<string, string?>())
            .Build();
        var embedded = config.GetSection(EmbeddedOptions.Section).Get<EmbeddedOptions>() ?? new();
        var data = Path.GetFullPath(embedded.DataDirectory);
        var secrets = Secrets.LoadOrCreate(data);

        EmbeddedRedis? redis = null;
        var redisConfiguration = config[FarmSettings.RedisConfiguration];
        if (string.IsNullOrWhiteSpace(redisConfiguration))
        {
            redis = EmbeddedRedis.Start(embedded.RedisPort, data);
            redisConfiguration = redis.Configuration;
        }

        int Port(string key, int fallback) => (config.GetValue<int?>(key) ?? fallback) is var p && p == 0 ? EmbeddedRedis.FreePort() : p;
        var restPort = Port(FarmSettings.FacadeRestPort, 8080);
        var coordinatorPort = Port(FarmSettings.CoordinatorPort, 8082);
        var token = config[FarmSettings.CoordinatorNodeToken] is { Length: > 0 } t ? t : secrets.NodeToken;
        string Or(string key, string fallback) => config[key] is { Length: > 0 } v ? v : fallback;
        var derived = new Dictionary<string, string?>(overrides ?? new Dictionary<string, string?>())
        {
            [FarmSettings.RedisConfiguration] = redisConfiguration,
            [FarmSettings.FacadeRestPort] = Invariant(restPort),
            [FarmSettings.FacadeGrpcPort] = Invariant(Port(FarmSettings.FacadeGrpcPort, 8081)),
            [FarmSettings.FacadeBindAddress] = Or(FarmSettings.FacadeBindAddress, embedded.BindAddress),
            [FarmSettings.CoordinatorPort] = Invariant(coordinatorPort),
            [FarmSettings.CoordinatorBindAddress] = "127.0.0.1",
            [FarmSettings.CoordinatorMetricsPort] = "0",
            [FarmSettings.CoordinatorNodeToken] = token,
            [FarmSettings.NodeToken] = token,
            [FarmSettings.NodeCoordinatorUrl] = $"http://127.0.0.1:{Invariant(coordinatorPort)}",
            [FarmSettings.NodeMetricsPort] = "0",
            [FarmSettings.StorageRoot] = Or(FarmSettings.StorageRoot, Path.Combine(data, "objects")),
            [FarmSettings.StorageSigningKey] = Or(FarmSettings.StorageSigningKey, secrets.SigningKey),
            [FarmSettings.StoragePublicBaseUrl] = Or(FarmSettings.StoragePublicBaseUrl, $"http://127.0.0.1:{Invariant(restPort)}"),
            [FarmSettings.MediaCacheDirectory] = Or(FarmSettings.MediaCacheDirectory, Path.Combine(data, "media-cache")),
            [FarmSettings.BootstrapAdminKey] = Or(FarmSettings.BootstrapAdminKey, secrets.AdminKey),
            [FarmSettings.WebhookSigningSecret] = Or(FarmSettings.WebhookSigningSecret, secrets.WebhookSecret),
        };
        if (config.GetValue<StorageKind?>(FarmSettings.StorageKind) != StorageKind.S3
            && string.IsNullOrEmpty(config[FarmSettings.StoragePublicBaseUrl]))
        {
            // Local nodes fetch assets from the facade's own object URLs on loopback (an entry past any a user sets).
            derived[$"{FarmSettings.MediaAllowedHosts}:1000"] = $"127.0.0.1:{Invariant(restPort)}";
        }

        var farm = new FarmHost(args, derived, data) { _redis = redis };
        try
        {
            farm.Facade = farm.BuildWeb(b => b.AddFacade());
            farm.Facade.MapFacade();
            await farm.Facade.StartAsync(cancellationToken);
            farm.Coordinator = await farm.StartCoordinatorHostAsync(cancellationToken: cancellationToken);
            for (var i = 1; i <= embedded.Nodes; i++)
            {
                await farm.StartNodeAsync($"embedded-{i}", cancellationToken: cancellationToken);
            }
        }
        catch
        {
            await farm.DisposeAsync();
            throw;
        }

        return farm;
    }

    /// <summary>Starts one more local node; <paramref name="settings"/> override its configuration.</summary>
    public async Task StartNodeAsync(string nodeId, IDictionary<string, string?>? settings = null, CancellationToken cancellationToken = default)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = _args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(_derived);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [FarmSettings.NodeId] = nodeId,
            [FarmSettings.NodeWorkDirectory] = Path.Combine(DataDirectory, "work", nodeId),
            // Each node host keeps its own cache index, so each gets its own cache folder.
            [FarmSettings.MediaCacheDirectory] = Path.Combine(_derived[FarmSettings.MediaCacheDirectory]!, nodeId),
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.Services.AddNode();
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        _nodes.Add((nodeId, host));
    }

    /// <summary>Stops one local node the way SIGTERM does (drain, then hand back).</summary>
    public async Task StopNodeAsync(string nodeId, CancellationToken cancellationToken = default)
    {
        var node = _nodes.Single(n => n.Id == nodeId);
        _nodes.Remove(node);
        await node.Host.StopAsync(cancellationToken);
        node.Host.Dispose();
    }

    /// <summary>Stops the farm in order: nodes, coordinator, facade, Garnet.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var (id, _) in _nodes.ToList())
        {
            await StopNodeAsync(id);
        }

        WebApplication?[] apps = [.. ExtraCoordinators.Select(c => c.App), Coordinator, Facade];
        foreach (var app in apps)
        {
            if (app is not null)
            {
                await StopAsync(app);
            }
        }

        ExtraCoordinators.Clear();

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    /// <summary>The farm's own coordinator, while it runs.</summary>
    internal WebApplication? Coordinator { get; set; }

    /// <summary>More coordinator replicas on the farm's Redis, by the URL nodes dial; they stop before <see cref="Coordinator"/>.</summary>
    internal List<(string Url, WebApplication App)> ExtraCoordinators { get; } = [];

    /// <summary>The settings the farm derived, on top of which every component host is configured.</summary>
    internal IReadOnlyDictionary<string, string?> Settings => _derived;

    /// <summary>The facade host, while it runs.</summary>
    internal WebApplication? Facade { get; private set; }

    /// <summary>Starts a coordinator host with <paramref name="settings"/> over the farm's.</summary>
    internal async Task<WebApplication> StartCoordinatorHostAsync(IDictionary<string, string?>? settings = null, CancellationToken cancellationToken = default)
    {
        var app = BuildWeb(b =>
        {
            b.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
            b.AddCoordinator();
        });
        app.MapCoordinator();
        await app.StartAsync(cancellationToken);
        return app;
    }

    /// <summary>Stops a component host gracefully, as SIGTERM does, and disposes it.</summary>
    internal static async Task StopAsync(WebApplication app, CancellationToken cancellationToken = default)
    {
        await app.StopAsync(cancellationToken);
        await app.DisposeAsync();
    }

    private WebApplication BuildWeb(Action<WebApplicationBuilder> add)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = _args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(_derived);
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        add(builder);
        return builder.Build();
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The process, not each component host, owns Ctrl+C and SIGTERM, so the farm stops in order.</summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
