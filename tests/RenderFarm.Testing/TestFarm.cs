using System.Net.Http.Headers;
using Grpc.Net.Client;
using RenderFarm.Embedded;

namespace RenderFarm.Testing;

/// <summary>
/// A whole farm (facade, coordinator, nodes) on loopback with free ports, short leases and a
/// media server the SSRF guard allow-lists, on a given Redis-compatible server.
/// </summary>
public sealed class TestFarm : IAsyncDisposable
{
    private readonly HttpClient _http;

    private TestFarm(FarmHost host, MediaServer media, string dataDirectory, string keyPrefix)
    {
        Host = host;
        Media = media;
        DataDirectory = dataDirectory;
        KeyPrefix = keyPrefix;
        _http = HttpFor(host.AdminKey);
        Grpc = GrpcFor(host.AdminKey);
    }

    public FarmHost Host { get; }

    public MediaServer Media { get; }

    public string DataDirectory { get; }

    public string KeyPrefix { get; }

    /// <summary>HTTP client on the REST port, sending the admin key of tenant "default".</summary>
    public HttpClient Http => _http;

    /// <summary>Channel to the public gRPC port, sending the admin key of tenant "default".</summary>
    public GrpcChannel Grpc { get; }

    /// <summary>The farm's bootstrap admin key (tenant "default").</summary>
    public string AdminKey => Host.AdminKey;

    /// <summary>A new HTTP client on the REST port sending <paramref name="apiKey"/> (none when null); the caller disposes it.</summary>
    public HttpClient HttpFor(string? apiKey)
    {
        var http = new HttpClient { BaseAddress = new Uri(Host.RestUrl), Timeout = TimeSpan.FromMinutes(2) };
        if (apiKey is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return http;
    }

    /// <summary>A new channel to the gRPC port sending <paramref name="apiKey"/> as <c>authorization</c> metadata (none when null).</summary>
    public GrpcChannel GrpcFor(string? apiKey)
    {
        if (apiKey is null)
        {
            return GrpcChannel.ForAddress(Host.GrpcUrl);
        }

        // gRPC metadata travels as HTTP/2 headers: a handler adds the key to every call on the channel.
        return GrpcChannel.ForAddress(Host.GrpcUrl, new GrpcChannelOptions { HttpHandler = new BearerHandler(apiKey) });
    }

    /// <summary>Settings every test farm uses: short leases so lapses are seen in seconds.</summary>
    public static Dictionary<string, string?> Settings(string redis, string keyPrefix, string dataDirectory, int nodes) => new()
    {
        ["RenderFarm:Redis:Configuration"] = redis,
        ["RenderFarm:Redis:KeyPrefix"] = keyPrefix,
        ["RenderFarm:Embedded:DataDirectory"] = dataDirectory,
        ["RenderFarm:Embedded:Nodes"] = nodes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RenderFarm:Facade:RestPort"] = "0",
        ["RenderFarm:Facade:GrpcPort"] = "0",
        ["RenderFarm:Coordinator:Port"] = "0",
        ["RenderFarm:Coordinator:LeaseTtl"] = "00:00:02",
        ["RenderFarm:Coordinator:HeartbeatInterval"] = "00:00:00.400",
        ["RenderFarm:Coordinator:ReapInterval"] = "00:00:00.200",
        ["RenderFarm:Coordinator:DispatchPollInterval"] = "00:00:00.250",
        ["RenderFarm:Scheduler:RetryBackoffBase"] = "00:00:00.200",
        ["RenderFarm:Scheduler:RetryBackoffMax"] = "00:00:02",
        ["RenderFarm:Node:ReconnectMinDelay"] = "00:00:00.100",
        ["RenderFarm:Node:ReconnectMaxDelay"] = "00:00:01",
        ["RenderFarm:Node:DrainTimeout"] = "00:00:05",
        ["RenderFarm:Node:ProgressInterval"] = "00:00:00.200",
        ["RenderFarm:Media:AllowedHosts:0"] = "127.0.0.1",
        // Suites make many calls with one key in seconds; rate-limit tests set their own tenant's limits.
        ["RenderFarm:Tenants:Defaults:RequestsPerMinute"] = "1000000",
        ["RenderFarm:Tenants:Defaults:Burst"] = "100000",
        ["RenderFarm:Tenants:Defaults:ReadsPerMinute"] = "1000000",
        ["RenderFarm:Tenants:Defaults:ReadBurst"] = "100000",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:RenderFarm"] = "Information",
    };

    public static async Task<TestFarm> StartAsync(RedisServer redis, int nodes = 1, IDictionary<string, string?>? extra = null)
    {
        var data = Directory.CreateTempSubdirectory("rf-farm-").FullName;
        var prefix = $"t{Guid.NewGuid():N}:";
        var settings = Settings(redis.Configuration, prefix, data, nodes);
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            settings[k] = v;
        }

        var media = await MediaServer.StartAsync();
        var host = await FarmHost.StartAsync([], settings);
        return new TestFarm(host, media, data, prefix);
    }

    public async ValueTask DisposeAsync()
    {
        Grpc.Dispose();
        _http.Dispose();
        await Host.DisposeAsync();
        await Media.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Adds <c>authorization: Bearer …</c> to every request.</summary>
internal sealed class BearerHandler(string apiKey) : DelegatingHandler(new SocketsHttpHandler { EnableMultipleHttp2Connections = true })
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return base.SendAsync(request, cancellationToken);
    }
}
