using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.Node.Diagnostics;
using RenderFarm.Node.Rendering;

namespace RenderFarm.Node.Agent;

/// <summary>
/// The node's side of the gateway stream. Connects out (reconnecting with jittered backoff),
/// announces capabilities and held leases, runs assignments, and keeps each result until the
/// coordinator acknowledges it, so a result survives a reconnect. Shutdown is a ladder: stop
/// taking work, let renders finish up to the drain timeout, cancel the rest and hand their leases back.
/// </summary>
internal sealed partial class NodeAgent(
    JobRunner runner,
    NodeCapabilitiesProbe probe,
    IOptions<NodeOptions> options,
    TimeProvider time,
    ILogger<NodeAgent> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, RunningJob> _jobs = new();
    private readonly ConcurrentDictionary<(string, long), RenderResult> _unacknowledged = new();
    private readonly CancellationTokenSource _connection = new();
    private readonly Random _jitter = new();
    private Channel<NodeMessage>? _session;
    private NodeCapabilities _capabilities = new();
    private TimeSpan _heartbeatInterval = TimeSpan.FromSeconds(3);
    private volatile bool _draining;

    private sealed record RunningJob(Assignment Assignment, CancellationTokenSource Cancel)
    {
        public Task Completion { get; set; } = Task.CompletedTask;
        public bool HandBack { get; set; }
    }

    /// <summary>Renders in flight.</summary>
    public int ActiveJobs => _jobs.Count;

    /// <summary>Whether the node stream is open.</summary>
    public bool Connected => Volatile.Read(ref _session) is not null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _capabilities = await probe.GetAsync(stoppingToken);
        // The connection outlives stoppingToken: results of draining renders still need the stream.
        var ct = _connection.Token;
        var urls = options.Value.CoordinatorUrls;
        var failures = 0;
        var next = 0;
        while (!ct.IsCancellationRequested)
        {
            var welcomed = false;
            var url = urls[next % urls.Count];
            try
            {
                await RunSessionAsync(url, () => welcomed = true, ct);
            }
            catch (Exception) when (ct.IsCancellationRequested)
            {
                // Shutting down: the stream was closed on purpose.
                return;
            }
            catch (RpcException e) when (welcomed && IsCoordinatorShutdown(e))
            {
                // A coordinator that stops gracefully closes its streams: move to the next one at
                // once. Running renders go on; their leases are claimed in the next hello.
                CoordinatorLeft(logger, url);
                next++;
                failures = 0;
                continue;
            }
            catch (Exception e) when (e is RpcException or IOException or HttpRequestException or InvalidOperationException)
            {
                SessionFailed(logger, url, e.Message);
            }

            if (!welcomed)
            {
                // Try the next coordinator of the list; the backoff grows once every one failed.
                next++;
            }

            failures = welcomed ? 0 : failures + 1;
            var delay = Backoff.Delay(failures, options.Value.ReconnectMinDelay, options.Value.ReconnectMaxDelay, _jitter);
            try
            {
                await Task.Delay(delay, time, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await DrainAsync(options.Value.DrainTimeout, cancellationToken);
        await _connection.CancelAsync();
        await base.StopAsync(cancellationToken);
    }

    /// <summary>Stops taking work and waits for renders up to <paramref name="timeout"/>; the rest are cancelled and handed back.</summary>
    public async Task DrainAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        _draining = true;
        // Tell the coordinator at once, so nothing more is assigned here meanwhile.
        Send(Heartbeat());
        Draining(logger, _jobs.Count, timeout.TotalSeconds);
        var running = Task.WhenAll(_jobs.Values.Select(j => j.Completion));
        try
        {
            await running.WaitAsync(timeout, time, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            foreach (var job in _jobs.Values)
            {
                job.HandBack = true;
                await job.Cancel.CancelAsync();
            }

            await running.WaitAsync(TimeSpan.FromSeconds(10), time, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        // Give the stream a moment to deliver the last results.
        var deadline = time.GetUtcNow() + TimeSpan.FromSeconds(5);
        while (!_unacknowledged.IsEmpty && Connected && time.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), time, CancellationToken.None);
        }
    }

    private static bool IsCoordinatorShutdown(RpcException e) =>
        e.StatusCode == StatusCode.Unavailable && e.GetErrorInfo()?.Reason == ErrorReasons.CoordinatorShutdown;

    private async Task RunSessionAsync(string url, Action welcomed, CancellationToken ct)
    {
        var o = options.Value;
        using var channel = GrpcChannel.ForAddress(url, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                ConnectTimeout = TimeSpan.FromSeconds(10),
                KeepAlivePingDelay = TimeSpan.FromSeconds(10),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            },
        });
        using var sessionCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var call = new NodeGateway.NodeGatewayClient(channel).Connect(
            new Metadata { { "authorization", $"Bearer {o.Token}" } }, cancellationToken: sessionCts.Token);
        var outbox = Channel.CreateUnbounded<NodeMessage>(new UnboundedChannelOptions { SingleReader = true });
        var hello = new NodeHello { NodeId = o.NodeId, Slots = o.Slots, Capabilities = _capabilities, Version = Version };
        hello.Labels.Add(o.Labels);
        hello.Leases.Add(HeldLeases());
        await call.RequestStream.WriteAsync(new NodeMessage { Hello = hello }, sessionCts.Token);
        foreach (var pending in _unacknowledged.Values)
        {
            outbox.Writer.TryWrite(new NodeMessage { Result = pending });
        }

        if (_draining)
        {
            outbox.Writer.TryWrite(Heartbeat());
        }

        Volatile.Write(ref _session, outbox);
        var writer = WriteLoopAsync(call.RequestStream, outbox.Reader, sessionCts.Token);
        var heartbeat = HeartbeatLoopAsync(outbox.Writer, sessionCts.Token);
        try
        {
            await foreach (var message in call.ResponseStream.ReadAllAsync(sessionCts.Token))
            {
                if (message.KindCase == CoordinatorMessage.KindOneofCase.Welcome)
                {
                    welcomed();
                    SessionOpened(logger, url, message.Welcome.CoordinatorId);
                }

                Handle(message);
            }
        }
        finally
        {
            Interlocked.CompareExchange(ref _session, null, outbox);
            outbox.Writer.TryComplete();
            await sessionCts.CancelAsync();
            await Task.WhenAll(writer, heartbeat).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private void Handle(CoordinatorMessage message)
    {
        switch (message.KindCase)
        {
            case CoordinatorMessage.KindOneofCase.Welcome:
                if (message.Welcome.HeartbeatInterval?.ToTimeSpan() is { } interval && interval > TimeSpan.Zero)
                {
                    _heartbeatInterval = interval;
                }

                break;
            case CoordinatorMessage.KindOneofCase.Assign:
                Start(message.Assign);
                break;
            case CoordinatorMessage.KindOneofCase.Cancel:
                var cancel = message.Cancel;
                _unacknowledged.TryRemove((cancel.ProductionId, cancel.LeaseToken), out _);
                if (_jobs.TryGetValue(cancel.ProductionId, out var job) && job.Assignment.LeaseToken == cancel.LeaseToken)
                {
                    JobCancelled(logger, cancel.ProductionId, cancel.Reason);
                    job.Cancel.Cancel();
                }

                break;
            case CoordinatorMessage.KindOneofCase.Drain:
                _ = DrainAsync(message.Drain.Timeout?.ToTimeSpan() ?? options.Value.DrainTimeout, CancellationToken.None);
                break;
            case CoordinatorMessage.KindOneofCase.Ack:
                _unacknowledged.TryRemove((message.Ack.ProductionId, message.Ack.LeaseToken), out _);
                break;
        }
    }

    private void Start(Assignment assignment)
    {
        if (_draining || _jobs.Count >= options.Value.Slots || _jobs.ContainsKey(assignment.ProductionId))
        {
            // Hand it straight back; the coordinator requeues it for another node.
            Finish(new RenderResult
            {
                ProductionId = assignment.ProductionId,
                LeaseToken = assignment.LeaseToken,
                Failure = new RenderFailure { Code = _draining ? ErrorReasons.NodeDraining : ErrorReasons.NodeBusy, Message = $"node {options.Value.NodeId} cannot take work now", Retryable = true, Declined = true },
            });
            return;
        }

        var job = new RunningJob(assignment, new CancellationTokenSource());
        _jobs[assignment.ProductionId] = job;
        NodeMetrics.ActiveRenders.Inc();
        job.Completion = Task.Run(() => RunJobAsync(job));
    }

    private async Task RunJobAsync(RunningJob job)
    {
        var a = job.Assignment;
        var lastReport = long.MinValue;
        var lastStage = "";
        void Report(RenderStatus status)
        {
            var now = time.GetTimestamp();
            if (status.Stage == lastStage && lastReport != long.MinValue && time.GetElapsedTime(lastReport, now) < options.Value.ProgressInterval)
            {
                return;
            }

            lastReport = now;
            lastStage = status.Stage;
            Send(new NodeMessage
            {
                Progress = new RenderProgress { ProductionId = a.ProductionId, LeaseToken = a.LeaseToken, Progress = status.Progress, Stage = status.Stage, Speed = status.Speed },
            });
        }

        var started = time.GetTimestamp();
        try
        {
            var result = await runner.RunAsync(a, _capabilities.Encoders, Report, job.Cancel.Token, _capabilities.GpuDecoders);
            NodeMetrics.Finished(result.Output is null ? "failed" : "succeeded", time.GetElapsedTime(started), result.Output);
            Finish(result);
        }
        catch (OperationCanceledException) when (job.Cancel.IsCancellationRequested)
        {
            NodeMetrics.Finished("cancelled", time.GetElapsedTime(started), null);
            if (job.HandBack)
            {
                Finish(new RenderResult
                {
                    ProductionId = a.ProductionId,
                    LeaseToken = a.LeaseToken,
                    Failure = new RenderFailure { Code = ErrorReasons.NodeShutdown, Message = $"node {options.Value.NodeId} shut down before the render finished", Retryable = true },
                });
            }
        }
        catch (Exception e)
        {
            // Whatever went wrong, the coordinator hears of it instead of waiting for the lease to lapse.
            JobCrashed(logger, a.ProductionId, e);
            NodeMetrics.Finished("failed", time.GetElapsedTime(started), null);
            Finish(new RenderResult
            {
                ProductionId = a.ProductionId,
                LeaseToken = a.LeaseToken,
                Failure = new RenderFailure { Code = ErrorReasons.NodeError, Message = e.Message, Retryable = true },
            });
        }
        finally
        {
            _jobs.TryRemove(new KeyValuePair<string, RunningJob>(a.ProductionId, job));
            NodeMetrics.ActiveRenders.Dec();
            job.Cancel.Dispose();
        }
    }

    private void Finish(RenderResult result)
    {
        _unacknowledged[(result.ProductionId, result.LeaseToken)] = result;
        Send(new NodeMessage { Result = result });
    }

    private void Send(NodeMessage message) => Volatile.Read(ref _session)?.Writer.TryWrite(message);

    private IEnumerable<LeaseRef> HeldLeases() =>
        _jobs.Values.Select(j => new LeaseRef { ProductionId = j.Assignment.ProductionId, LeaseToken = j.Assignment.LeaseToken });

    private async Task HeartbeatLoopAsync(ChannelWriter<NodeMessage> outbox, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await Task.Delay(_heartbeatInterval, time, ct);
            outbox.TryWrite(Heartbeat());
        }
    }

    private NodeMessage Heartbeat()
    {
        var heartbeat = new NodeHeartbeat { FreeSlots = _draining ? 0 : Math.Max(0, options.Value.Slots - _jobs.Count), Draining = _draining };
        heartbeat.Leases.Add(HeldLeases());
        return new NodeMessage { Heartbeat = heartbeat };
    }

    private static async Task WriteLoopAsync(IClientStreamWriter<NodeMessage> stream, ChannelReader<NodeMessage> outbox, CancellationToken ct)
    {
        await foreach (var message in outbox.ReadAllAsync(ct))
        {
            await stream.WriteAsync(message, ct);
        }
    }

    private static string Version => typeof(NodeAgent).Assembly.GetName().Version?.ToString() ?? "0";

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to coordinator {Url} ({CoordinatorId})")]
    private static partial void SessionOpened(ILogger logger, string url, string coordinatorId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Coordinator {Url} is shutting down; reconnecting to the next one now")]
    private static partial void CoordinatorLeft(ILogger logger, string url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Coordinator stream to {Url} ended: {Error}")]
    private static partial void SessionFailed(ILogger logger, string url, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cancelled {ProductionId}: {Reason}")]
    private static partial void JobCancelled(ILogger logger, string productionId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Draining: {Jobs} renders may run for up to {Seconds}s")]
    private static partial void Draining(ILogger logger, int jobs, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Render of {ProductionId} crashed")]
    private static partial void JobCrashed(ILogger logger, string productionId, Exception exception);
}
