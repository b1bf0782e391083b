using System.Net;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Prometheus;

namespace RenderFarm.Hosting;

/// <summary>
/// What every component's web host does alike: its listeners, liveness (<c>/healthz</c>), readiness
/// (<c>/readyz</c>) and Prometheus metrics (<c>/metrics</c>). Telemetry shared by all components belongs here.
/// </summary>
public static class FarmHostingExtensions
{
    /// <summary>Tag of checks that fail <c>/healthz</c> (and so <c>/readyz</c>).</summary>
    public const string Live = "live";

    /// <summary>Tag of checks that fail <c>/readyz</c> only.</summary>
    public const string Ready = "ready";

    /// <summary>
    /// Listens where <paramref name="listeners"/> says, given the component's options read once from
    /// <paramref name="section"/> (null entries are skipped), counts gRPC calls by status under
    /// <paramref name="component"/>, and registers health checks; the component adds its own checks
    /// to the builder returned.
    /// </summary>
    public static IHealthChecksBuilder AddFarmHosting<TOptions>(this WebApplicationBuilder builder, string component, string section, Func<TOptions, IEnumerable<Listener?>> listeners)
        where TOptions : class, new()
    {
        // prometheus-net's process and runtime series stay. Off: the EventCounter and Meter adapters,
        // whose series carry no component label (hosts in one process would add up in one series)
        // and whose names promtool rejects (gauges ending in _count, a gauge ending in _total).
        // Applies at the first scrape, so any host may say it.
        Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions { SuppressEventCounters = true, SuppressMeters = true, SuppressDebugMetrics = true });
        builder.Services.AddSingleton(new FarmComponent(component));
        builder.AddFarmTracing(component);
        builder.Services.Configure<GrpcServiceOptions>(o =>
        {
            // Outermost, whenever the component added its own: it counts the status the caller gets.
            o.Interceptors.Add<GrpcCallMetrics>();
            var metrics = o.Interceptors[^1];
            o.Interceptors.RemoveAt(o.Interceptors.Count - 1);
            o.Interceptors.Insert(0, metrics);
        });
        var options = builder.Configuration.GetSection(section).Get<TOptions>() ?? new();
        var open = listeners(options).OfType<Listener>().ToList();
        builder.WebHost.ConfigureKestrel(k =>
        {
            foreach (var listener in open)
            {
                k.Listen(IPAddress.Parse(listener.BindAddress), listener.Port, l => l.Protocols = listener.Protocols);
            }
        });
        return builder.Services.AddHealthChecks();
    }

    /// <summary>Makes readiness (and grpc.health.v1, where served) depend on Redis answering a ping.</summary>
    public static IHealthChecksBuilder AddRedisReadiness(this IHealthChecksBuilder checks) =>
        checks.AddCheck<RedisHealthCheck>("redis", tags: [Ready]);

    /// <summary>
    /// Measures HTTP requests (labelled with the component, as hosts in one process share the registry) and maps <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c>. Probes answer
    /// 200, or 503 when a check fails, with <c>{"status": …}</c> and the checks' data (e.g. <c>redisMs</c>,
    /// <c>reason</c>); a check's own <c>status</c> datum replaces the word.
    /// </summary>
    public static WebApplication MapFarmHosting(this WebApplication app)
    {
        var component = app.Services.GetRequiredService<FarmComponent>().Name;
        app.UseHttpMetrics(o => o.AddCustomLabel("component", _ => component));
        // GET and HEAD only: a probe is a read, and any other method is 405.
        var probeMethods = new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]);
        app.MapHealthChecks("/healthz", Probe("ok", r => r.Tags.Contains(Live))).WithMetadata(probeMethods);
        app.MapHealthChecks("/readyz", Probe("ready", r => r.Tags.Contains(Live) || r.Tags.Contains(Ready))).WithMetadata(probeMethods);
        app.MapMetrics();
        return app;
    }

    private static HealthCheckOptions Probe(string healthy, Func<HealthCheckRegistration, bool> predicate) => new()
    {
        Predicate = predicate,
        ResponseWriter = (http, report) =>
        {
            var body = new Dictionary<string, object?> { ["status"] = report.Status == HealthStatus.Unhealthy ? "unavailable" : healthy };
            foreach (var entry in report.Entries.Values)
            {
                foreach (var (key, value) in entry.Data)
                {
                    body[key] = value;
                }
            }

            return http.Response.WriteAsJsonAsync(body, http.RequestAborted);
        },
    };
}
