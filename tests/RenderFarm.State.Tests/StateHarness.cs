using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RenderFarm.Contracts.V1;
using RenderFarm.State;
using RenderFarm.Testing;
using StackExchange.Redis;

namespace RenderFarm.State.Tests;

/// <summary>The state stores on one real server, with a fake clock and a key prefix of their own.</summary>
public sealed class StateHarness : IAsyncDisposable
{
    private StateHarness(ConnectionMultiplexer redis, string prefix, SchedulerOptions? scheduler, TenantOptions? tenants)
    {
        Redis = redis;
        var options = Options.Create(new StateOptions { KeyPrefix = prefix });
        var s = Options.Create(scheduler ?? new SchedulerOptions());
        var t = Options.Create(tenants ?? new TenantOptions());
        Productions = new ProductionStore(redis, options, Clock, s, t);
        Leases = new LeaseStore(redis, options, Clock, s, t);
        Bus = new ControlBus(redis, options);
        Events = new ProductionEvents(redis, options);
        Prefix = prefix;
    }

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.Parse("2026-11-23T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    public ConnectionMultiplexer Redis { get; }
    public ProductionStore Productions { get; }
    public LeaseStore Leases { get; }
    public ControlBus Bus { get; }
    public ProductionEvents Events { get; }
    public string Prefix { get; }

    public static async Task<StateHarness> ConnectAsync(RedisServer server, SchedulerOptions? scheduler = null, TenantOptions? tenants = null) =>
        new(await ConnectionMultiplexer.ConnectAsync(server.Configuration), $"s{Guid.NewGuid():N}:", scheduler, tenants);

    /// <summary>A second connection on the same keys, as a second coordinator would have.</summary>
    public static async Task<StateHarness> ConnectSharedAsync(RedisServer server, string prefix) =>
        new(await ConnectionMultiplexer.ConnectAsync(server.Configuration), prefix, null, null);

    public static CreateProductionRequest Request(string color = "#FF0000", Priority priority = Priority.Normal, string requestId = "", Placement? placement = null, string webhookUrl = "") => new()
    {
        WebhookUrl = webhookUrl,
        Canvas = new Contracts.V1.Canvas { Width = 64, Height = 64, Segments = { new Segment { Color = new ColorClip { Color = color }, Duration = 1 } } },
        Priority = priority,
        RequestId = requestId,
        Placement = placement,
    };

    public async Task<string> CreateAsync(Priority priority = Priority.Normal, int maxAttempts = 3, string tenant = "t1", Placement? placement = null, string webhookUrl = "")
    {
        var outcome = await Productions.CreateAsync(tenant, Request(priority: priority, placement: placement, webhookUrl: webhookUrl), maxAttempts, TimeSpan.FromHours(1));
        return outcome.Production!.Production.Id;
    }

    public async Task<long> RedisLongAsync(string key) => (long?)await Redis.GetDatabase().StringGetAsync(Prefix + key) ?? 0;

    public async ValueTask DisposeAsync() => await Redis.DisposeAsync();
}
