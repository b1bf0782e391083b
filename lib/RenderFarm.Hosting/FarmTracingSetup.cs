using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using RenderFarm.Contracts;

namespace RenderFarm.Hosting;

/// <summary>
/// OpenTelemetry tracing: off unless <c>RenderFarm:Tracing:OtlpEndpoint</c> is set; then the farm's
/// sources (<see cref="FarmTracing.SourceNames"/>) and ASP.NET Core requests are exported over OTLP,
/// sampled at <c>RenderFarm:Tracing:SampleRatio</c> of new traces (parent-based: a render follows
/// the decision made for the request that created it).
/// </summary>
public static class FarmTracingSetup
{
    // Sources and ASP.NET Core's listener are process-wide: where hosts share a process (embedded),
    // the first host's provider exports for all of them, or every span would leave once per host.
    private static int _configured;

    /// <summary>Adds the OTLP tracer provider when an endpoint is configured; does nothing otherwise.</summary>
    public static void AddFarmTracing(this WebApplicationBuilder builder, string component)
    {
        var tracing = builder.Configuration.GetSection(TracingOptions.Section).Get<TracingOptions>() ?? new();
        var (endpoint, ratio, protocol) = (tracing.OtlpEndpoint, tracing.SampleRatio, tracing.OtlpProtocol);
        if (string.IsNullOrWhiteSpace(endpoint) || Interlocked.Exchange(ref _configured, 1) == 1)
        {
            return;
        }

        // The next host in this process may export again once this one has stopped (tests start many farms).
        builder.Services.AddHostedService<ExportOwner>();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService($"renderfarm-{component}"))
            .WithTracing(t => t
                .AddSource([.. FarmTracing.SourceNames])
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsProbe(http.Request.Path))
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(Math.Clamp(ratio, 0, 1))))
                .AddOtlpExporter(o =>
                {
                    var grpc = string.Equals(protocol, "grpc", StringComparison.OrdinalIgnoreCase);
                    o.Protocol = grpc ? OpenTelemetry.Exporter.OtlpExportProtocol.Grpc : OpenTelemetry.Exporter.OtlpExportProtocol.HttpProtobuf;
                    // With HTTP the signal's path is added to a bare endpoint, as the OTEL_EXPORTER_OTLP_ENDPOINT convention has it.
                    var uri = new Uri(endpoint);
                    o.Endpoint = grpc || uri.AbsolutePath.EndsWith("/v1/traces", StringComparison.Ordinal) ? uri : new Uri(uri, uri.AbsolutePath.TrimEnd('/') + "/v1/traces");
                }));
    }

    private sealed class ExportOwner : Microsoft.Extensions.Hosting.IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            Volatile.Write(ref _configured, 0);
            return Task.CompletedTask;
        }
    }

    private static bool IsProbe(Microsoft.AspNetCore.Http.PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || path.StartsWithSegments("/metrics");
}

/// <summary>Tracing settings (<c>RenderFarm:Tracing</c>); docs/configuration.md has the rows.</summary>
public sealed class TracingOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "RenderFarm:Tracing";

    /// <summary>OTLP collector endpoint; empty exports nothing.</summary>
    public string OtlpEndpoint { get; set; } = "";

    /// <summary><c>http/protobuf</c> or <c>grpc</c>.</summary>
    public string OtlpProtocol { get; set; } = "http/protobuf";

    /// <summary>Share of new traces kept, 0 to 1.</summary>
    public double SampleRatio { get; set; } = 1.0;
}
