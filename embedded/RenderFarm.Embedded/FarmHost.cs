using System.Globalization;
using RenderFarm.Coordinator;
using RenderFarm.Facade;
using RenderFarm.Node;

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
    private readonly List<(string Url, WebApplication App)> _extraCoordinators = [];
    private EmbeddedRedis? _redis;
    private WebApplication? _facade;
    private WebApplication? _coordinator;

    private FarmHost(string[] args, Dictionary<string, string?> derived, string dataDirectory)
    {
        _args = args;
        _derived = derived;
        DataDirectory = dataDirectory;
    }

    /// <summary>Base URL of the REST API.</summary>
    public string RestUrl => $"http://127.0.0.1:{_derived["RenderFarm:Facade:RestPort"]}";

    /// <summary>The facade's services (its endpoints, options), for tests and tools.</summary>
    public IServiceProvider FacadeServices => _facade?.Services ?? throw new InvalidOperationException("the facade is not running");

    /// <summary>Base URL of the public gRPC API.</summary>
    public string GrpcUrl => $"http://127.0.0.1:{_derived["RenderFarm:Facade:GrpcPort"]}";

    /// <summary>URL nodes dial.</summary>
    public string CoordinatorUrl => _derived["RenderFarm:Node:CoordinatorUrl"]!;

    /// <summary>Redis configuration string in use (Garnet's when embedded).</summary>
    public string RedisConfiguration => _derived["RenderFarm:Redis:Configuration"]!;

    /// <summary>The node token nodes present.</summary>
    public string NodeToken => _derived["RenderFarm:Node:Token"]!;

    /// <summary>The admin API key of tenant "default": the configured bootstrap key, or the one generated in the data directory.</summary>
    public string AdminKey => _derived["RenderFarm:Auth:BootstrapAdminKey"]!;

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
        var redisConfiguration = config["RenderFarm:Redis:Configuration"];
        if (string.IsNullOrWhiteSpace(redisConfiguration))
        {
            redis = EmbeddedRedis.Start(embedded.RedisPort, data);
            redisConfiguration = redis.Configuration;
        }

        int Port(string key, int fallback) => (config.GetValue<int?>(key) ?? fallback) is var p && p == 0 ? EmbeddedRedis.FreePort() : p;
        var restPort = Port("RenderFarm:Facade:RestPort", 8080);
        var coordinatorPort = Port("RenderFarm:Coordinator:Port", 8082);
        var token = config["RenderFarm:Coordinator:NodeToken"] is { Length: > 0 } t ? t : secrets.NodeToken;
        string Or(string key, string fallback) => config[key] is { Length: > 0 } v ? v : fallback;
        var derived = new Dictionary<string, string?>(overrides ?? new Dictionary<string, string?>())
        {
            ["RenderFarm:Redis:Configuration"] = redisConfiguration,
            ["RenderFarm:Facade:RestPort"] = Invariant(restPort),
            ["RenderFarm:Facade:GrpcPort"] = Invariant(Port("RenderFarm:Facade:GrpcPort", 8081)),
            ["RenderFarm:Facade:BindAddress"] = Or("RenderFarm:Facade:BindAddress", embedded.BindAddress),
            ["RenderFarm:Coordinator:Port"] = Invariant(coordinatorPort),
            ["RenderFarm:Coordinator:BindAddress"] = "127.0.0.1",
            ["RenderFarm:Coordinator:MetricsPort"] = "0",
            ["RenderFarm:Coordinator:NodeToken"] = token,
            ["RenderFarm:Node:Token"] = token,
            ["RenderFarm:Node:CoordinatorUrl"] = $"http://127.0.0.1:{Invariant(coordinatorPort)}",
            ["RenderFarm:Node:MetricsPort"] = "0",
            ["RenderFarm:Storage:Root"] = Or("RenderFarm:Storage:Root", Path.Combine(data, "objects")),
            ["RenderFarm:Storage:SigningKey"] = Or("RenderFarm:Storage:SigningKey", secrets.SigningKey),
            ["RenderFarm:Storage:PublicBaseUrl"] = Or("RenderFarm:Storage:PublicBaseUrl", $"http://127.0.0.1:{Invariant(restPort)}"),
            ["RenderFarm:Media:CacheDirectory"] = Or("RenderFarm:Media:CacheDirectory", Path.Combine(data, "media-cache")),
            ["RenderFarm:Auth:BootstrapAdminKey"] = Or("RenderFarm:Auth:BootstrapAdminKey", secrets.AdminKey),
            ["RenderFarm:Webhooks:SigningSecret"] = Or("RenderFarm:Webhooks:SigningSecret", secrets.WebhookSecret),
        };
        if (config.GetValue<RenderFarm.Storage.StorageKind?>("RenderFarm:Storage:Kind") != RenderFarm.Storage.StorageKind.S3
            && string.IsNullOrEmpty(config["RenderFarm:Storage:PublicBaseUrl"]))
        {
            // Local nodes fetch assets from the facade's own object URLs on loopback (an entry past any a user sets).
            derived["RenderFarm:Media:AllowedHosts:1000"] = $"127.0.0.1:{Invariant(restPort)}";
        }

        var farm = new FarmHost(args, derived, data) { _redis = redis };
        try
        {
            farm._facade = farm.BuildWeb(b => b.AddFacade());
            farm._facade.MapFacade();
            await farm._facade.StartAsync(cancellationToken);
            farm._coordinator = farm.BuildWeb(b => b.AddCoordinator());
            farm._coordinator.MapCoordinator();
            await farm._coordinator.StartAsync(cancellationToken);
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
            ["RenderFarm:Node:NodeId"] = nodeId,
            ["RenderFarm:Node:WorkDirectory"] = Path.Combine(DataDirectory, "work", nodeId),
            // Each node host keeps its own cache index, so each gets its own cache folder.
            ["RenderFarm:Media:CacheDirectory"] = Path.Combine(_derived["RenderFarm:Media:CacheDirectory"]!, nodeId),
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

    /// <summary>Stops the coordinator and starts a new one on the same port, as a restart of that process would.</summary>
    public async Task RestartCoordinatorAsync(CancellationToken cancellationToken = default)
    {
        if (_coordinator is not null)
        {
            await _coordinator.StopAsync(cancellationToken);
            await _coordinator.DisposeAsync();
        }

        _coordinator = BuildWeb(b => b.AddCoordinator());
        _coordinator.MapCoordinator();
        await _coordinator.StartAsync(cancellationToken);
    }

    /// <summary>
    /// Starts another coordinator replica on a free loopback port, with id <paramref name="id"/>,
    /// on the same Redis; returns the URL nodes dial. It stops with the farm, or by <see cref="StopCoordinatorAsync"/>.
    /// </summary>
    public async Task<string> StartCoordinatorAsync(string id, CancellationToken cancellationToken = default)
    {
        var port = EmbeddedRedis.FreePort();
        var app = BuildWeb(b =>
        {
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["RenderFarm:Coordinator:Id"] = id,
                ["RenderFarm:Coordinator:Port"] = Invariant(port),
            });
            b.AddCoordinator();
        });
        app.MapCoordinator();
        await app.StartAsync(cancellationToken);
        var url = $"http://127.0.0.1:{Invariant(port)}";
        _extraCoordinators.Add((url, app));
        return url;
    }

    /// <summary>Stops a coordinator gracefully, as SIGTERM does: the farm's own (<see cref="CoordinatorUrl"/>) or one from <see cref="StartCoordinatorAsync"/>.</summary>
    public async Task StopCoordinatorAsync(string url, CancellationToken cancellationToken = default)
    {
        WebApplication app;
        if (url == CoordinatorUrl)
        {
            app = _coordinator ?? throw new InvalidOperationException("the farm's coordinator is not running");
            _coordinator = null;
        }
        else
        {
            var extra = _extraCoordinators.Single(c => c.Url == url);
            _extraCoordinators.Remove(extra);
            app = extra.App;
        }

        await app.StopAsync(cancellationToken);
        await app.DisposeAsync();
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

        foreach (var (url, _) in _extraCoordinators.ToList())
        {
            await StopCoordinatorAsync(url);
        }

        foreach (var app in new[] { _coordinator, _facade })
        {
            if (app is not null)
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
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
