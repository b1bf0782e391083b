using System.Diagnostics;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.Coordinator.Assets;
using RenderFarm.Coordinator.Diagnostics;
using RenderFarm.Coordinator.Gateway;
using RenderFarm.State;
using RenderFarm.Storage;
using StackExchange.Redis;

namespace RenderFarm.Coordinator.Scheduling;

/// <summary>
/// Moves queued productions into leases on this coordinator's nodes with free slots. The pop and
/// the lease are one script, so several coordinators on one Redis never hand out the same job.
/// </summary>
internal sealed partial class Dispatcher(
    NodeRegistry registry,
    LeaseStore leases,
    IObjectStore store,
    ControlBus bus,
    AssetResolver assets,
    ChunkedRenders chunked,
    IOptions<CoordinatorOptions> options,
    IOptions<StorageOptions> storage,
    IOptions<SchedulerOptions> scheduler,
    ILogger<Dispatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await SubscribeAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await registry.WaitAsync(options.Value.DispatchPollInterval, stoppingToken);
                await DispatchAllAsync();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                StateUnavailable(logger, e.Message);
                await Task.Delay(options.Value.DispatchPollInterval, stoppingToken);
            }
        }
    }

    private async Task SubscribeAsync(CancellationToken ct)
    {
        // Subscribing fails while Redis is down; the poll interval covers the gap.
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await bus.SubscribeSignalAsync(registry.Wake);
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                StateUnavailable(logger, e.Message);
                await Task.Delay(options.Value.DispatchPollInterval, ct);
            }
        }
    }

    private async Task DispatchAllAsync()
    {
        while (true)
        {
            // One script call leases work to every free slot of this coordinator's nodes (up to a
            // batch); it spreads work by giving each job the node with the most free slots.
            var free = registry.Sessions.Where(s => s.FreeSlots > 0).ToDictionary(s => s.NodeId);
            if (free.Count == 0)
            {
                return;
            }

            var leased = await leases.DispatchAsync([.. free.Values.Select(s => (s.Profile, s.FreeSlots))], options.Value.LeaseTtl);
            foreach (var lease in leased)
            {
                await AssignAsync(free[lease.NodeId], lease);
            }

            if (leased.Count < scheduler.Value.DispatchBatch)
            {
                return;
            }
        }
    }

    private async Task AssignAsync(NodeSession session, Lease lease)
    {
        // Continues the trace of the request that created the job; the node's spans are children of this one.
        using var span = FarmTracing.Coordinator.StartFrom("production dispatch", lease.Job.Traceparent, ActivityKind.Producer);
        span?.SetTag("renderfarm.production_id", lease.ProductionId);
        span?.SetTag("renderfarm.attempt", lease.Attempt);
        span?.SetTag("renderfarm.node_id", session.NodeId);
        var (canvas, refused) = await assets.ResolveAsync(lease.ProductionId, lease.Spec.Canvas, CancellationToken.None);
        if (refused is not null)
        {
            // An unusable asset fails the production for good: another attempt would find the same bytes.
            await leases.FailAsync(lease.ProductionId, lease.Token, refused.Code, refused.Message, retryable: false);
            AssetRefused(logger, lease.ProductionId, refused.Code, refused.Message);
            return;
        }

        if (lease.Job.Kind == JobSpec.Types.Kind.Render && await chunked.TryFanOutAsync(lease))
        {
            // Its parts are queued: the slot this lease took is free for one of them.
            registry.Wake();
            return;
        }

        var output = lease.Spec.Output ?? new OutputSpec();
        var folder = $"{ProductionStore.ObjectPrefix(lease.ProductionId)}{lease.Attempt}/";
        var ttl = storage.Value.UploadUrlTtl;
        var assignment = new Assignment
        {
            ProductionId = lease.ProductionId,
            LeaseToken = lease.Token,
            Attempt = lease.Attempt,
            Canvas = canvas,
            Output = output,
            RequiredEncoders = { lease.Spec.Placement?.Required?.Encoders ?? [] },
            Renditions = { lease.Spec.Renditions },
            Traceparent = FarmTracing.CurrentTraceparent(),
        };
        if (lease.Job.Kind == JobSpec.Types.Kind.Preview)
        {
            assignment.Preview = await PreviewAsync(folder, lease.Job.Preview.Times, ttl);
        }
        else if (JobKinds.IsPart(lease.Job.Kind))
        {
            if (!await chunked.PrepareAsync(assignment, lease, ttl, (a, f) => AddUploadsAsync(a, f, ttl)))
            {
                await leases.FailAsync(lease.ProductionId, lease.Token, ErrorReasons.NodeError, "the chunks to join are gone", retryable: false);
                return;
            }
        }
        else
        {
            await AddUploadsAsync(assignment, folder, ttl);
        }

        session.Active[lease.ProductionId] = lease.Token;
        if (!session.Send(new CoordinatorMessage { Assign = assignment }))
        {
            // The stream closed meanwhile (node gone, coordinator stopping): hand the lease straight
            // back instead of letting it lapse, so the attempt does not count.
            session.Active.TryRemove(new KeyValuePair<string, long>(lease.ProductionId, lease.Token));
            await leases.DeclineAsync(lease.ProductionId, lease.Token, ErrorReasons.NodeGone);
            return;
        }

        CoordinatorMetrics.Dispatched.Inc();
        Assigned(logger, lease.ProductionId, lease.Attempt, session.NodeId, lease.Token);
    }

    // A plan's stills: one presigned PUT per time, in the attempt's folder like any output.
    private async Task<PreviewJob> PreviewAsync(string folder, IReadOnlyList<double> times, TimeSpan ttl)
    {
        var job = new PreviewJob();
        for (var i = 0; i < times.Count; i++)
        {
            var key = PreviewJobs.ObjectKey(folder, i);
            job.Times.Add(times[i]);
            job.ObjectKeys.Add(key);
            job.UploadUrls.Add((await store.PresignPutAsync(key, ttl)).Url.ToString());
        }

        return job;
    }

    // The output, and the files beside it the output asks for (poster, stills, sidecars), each
    // with its own presigned PUT in the attempt's folder. A PNG/JPEG output is its stills: the
    // first names the output.
    private async Task AddUploadsAsync(Assignment assignment, string folder, TimeSpan ttl)
    {
        var output = assignment.Output;
        async Task<UploadTarget> TargetAsync(string name)
        {
            var key = folder + name;
            return new UploadTarget { ObjectKey = key, UploadUrl = (await store.PresignPutAsync(key, ttl)).Url.ToString() };
        }

        for (var i = 0; i < output.StillTimes.Count; i++)
        {
            assignment.StillUploads.Add(await TargetAsync($"still-{i + 1:00}.{OutputKinds.StillExtension(output)}"));
        }

        foreach (var sidecar in output.Sidecars)
        {
            assignment.SidecarUploads.Add(await TargetAsync(OutputKinds.Sidecar(sidecar).FileName));
        }

        foreach (var rendition in assignment.Renditions)
        {
            var format = rendition.Output?.Format is { } own && own != OutputSpec.Types.Format.Unspecified ? own : output.Format;
            assignment.RenditionUploads.Add(await TargetAsync($"rendition-{rendition.Name}.{OutputKinds.Extension(format)}"));
        }

        if (OutputKinds.IsStills(output.Format))
        {
            assignment.ObjectKey = assignment.StillUploads[0].ObjectKey;
            return;
        }

        var main = await TargetAsync("output." + OutputKinds.Extension(output.Format));
        (assignment.ObjectKey, assignment.UploadUrl) = (main.ObjectKey, main.UploadUrl);
        if (OutputKinds.WantsPoster(output))
        {
            var poster = await TargetAsync("poster.jpg");
            (assignment.PosterObjectKey, assignment.PosterUploadUrl) = (poster.ObjectKey, poster.UploadUrl);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Assigned {ProductionId} attempt {Attempt} to node {NodeId} under lease token {Token}")]
    private static partial void Assigned(ILogger logger, string productionId, int attempt, string nodeId, long token);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Production {ProductionId} failed at dispatch: {Code} {Message}")]
    private static partial void AssetRefused(ILogger logger, string productionId, string code, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Farm state unavailable, dispatch paused: {Error}")]
    private static partial void StateUnavailable(ILogger logger, string error);
}
