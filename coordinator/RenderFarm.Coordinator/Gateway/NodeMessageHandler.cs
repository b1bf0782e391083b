using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.Coordinator.Diagnostics;
using RenderFarm.Coordinator.Scheduling;
using RenderFarm.State;
using RenderFarm.Storage;

namespace RenderFarm.Coordinator.Gateway;

/// <summary>Applies one node message to the farm state, answering on the node's session.</summary>
internal sealed partial class NodeMessageHandler(
    LeaseStore leases,
    IObjectStore store,
    NodeRegistry registry,
    RenderCalibration calibration,
    ChunkedRenders chunked,
    NodeDirectory directory,
    TimeProvider time,
    IOptions<CoordinatorOptions> options,
    ILogger<NodeMessageHandler> logger)
{
    private TimeSpan Ttl => options.Value.LeaseTtl;

    /// <summary>Takes over the leases a reconnecting node still holds, cancelling those it lost meanwhile.</summary>
    public async Task AdoptAsync(NodeSession session, IEnumerable<LeaseRef> held)
    {
        var claimed = held.ToList();
        if (claimed.Count == 0)
        {
            return;
        }

        var stale = await leases.HeartbeatAsync(session.NodeId, Ttl, claimed);
        foreach (var lease in claimed.Except(stale))
        {
            session.Active[lease.ProductionId] = lease.LeaseToken;
        }

        foreach (var lease in stale)
        {
            session.Cancel(lease.ProductionId, lease.LeaseToken, ErrorReasons.LeaseLost);
        }
    }

    public Task HandleAsync(NodeSession session, NodeMessage message) => message.KindCase switch
    {
        NodeMessage.KindOneofCase.Heartbeat => HeartbeatAsync(session, message.Heartbeat),
        NodeMessage.KindOneofCase.Progress => ProgressAsync(session, message.Progress),
        NodeMessage.KindOneofCase.Result => ResultAsync(session, message.Result),
        _ => Task.CompletedTask,
    };

    private async Task HeartbeatAsync(NodeSession session, NodeHeartbeat heartbeat)
    {
        // Only drops what the store says is no longer the node's: an assignment sent after the node
        // wrote this heartbeat is not in it yet, and lost assignments come back through the reaper.
        session.Draining = heartbeat.Draining;
        var stale = await leases.HeartbeatAsync(session.NodeId, Ttl, heartbeat.Leases);
        foreach (var lease in stale)
        {
            session.Cancel(lease.ProductionId, lease.LeaseToken, ErrorReasons.LeaseLost);
        }

        await RecordAsync(session);
        if (session.FreeSlots > 0)
        {
            registry.Wake();
        }
    }

    /// <summary>
    /// Refreshes the node's directory record (what ListNodes shows) and applies a drain an operator
    /// asked for: the record keeps the request, so one whose control message was lost (Redis
    /// restarted, the node moved here from another coordinator) still reaches the node.
    /// </summary>
    public async Task RecordAsync(NodeSession session)
    {
        // The record outlives a few missed heartbeats; a dead coordinator's nodes drop off the list.
        var drain = await directory.RecordAsync(session.ToRecord(options.Value.Id, time.GetUtcNow()), options.Value.LeaseTtl * 3);
        if (drain is { } timeout && !session.DrainRequested)
        {
            Drain(session, timeout);
        }
    }

    /// <summary>Stops dispatching to the node and tells it to drain (timeout zero: the node's own).</summary>
    public void Drain(NodeSession session, TimeSpan timeout)
    {
        // Nothing more is dispatched here from now on, whatever the node's next heartbeat says.
        session.DrainRequested = true;
        var drain = new Drain();
        if (timeout > TimeSpan.Zero)
        {
            drain.Timeout = Duration.FromTimeSpan(timeout);
        }

        session.Send(new CoordinatorMessage { Drain = drain });
        DrainSent(logger, session.NodeId, (long)timeout.TotalMilliseconds);
    }

    private async Task ProgressAsync(NodeSession session, RenderProgress progress)
    {
        var fraction = double.IsFinite(progress.Progress) ? progress.Progress : 0;
        var stage = progress.Stage.Length <= 200 ? progress.Stage : progress.Stage[..200];
        if (!await leases.ProgressAsync(progress.ProductionId, progress.LeaseToken, fraction, stage, Ttl))
        {
            session.Cancel(progress.ProductionId, progress.LeaseToken, ErrorReasons.LeaseLost);
        }
    }

    private async Task ResultAsync(NodeSession session, RenderResult result)
    {
        Completion completion;
        if (result.Output is { } foreign && !foreign.Renditions.Select(r => r.ObjectKey).Prepend(foreign.ObjectKey).All(key => IsOwnOutput(result.ProductionId, key)))
        {
            // Only an upload under the production's own prefix can become its output.
            completion = await leases.FailAsync(result.ProductionId, result.LeaseToken, ErrorReasons.NodeError,
                $"node {session.NodeId} reported an output outside the production's storage", retryable: true);
        }
        else if (result.Output is { } output)
        {
            await chunked.AddTranscriptAsync(result.ProductionId, output);
            completion = await leases.SucceedAsync(result.ProductionId, result.LeaseToken, output,
                output.Duration, output.RenderTime?.ToTimeSpan() ?? TimeSpan.Zero);
            if (completion.Accepted && output.PreviewFrames == 0 && ChunkJobs.ParentOf(result.ProductionId) is null)
            {
                // Plans estimate render time from what this farm measured, renditions encoded in the same pass included.
                var renditions = output.Renditions.Where(r => !r.MainOutput).Select(r => (r.Width, r.Height));
                await calibration.RecordAsync(RenderCalibration.CostUnits(output.Duration, output.Width, output.Height, output.Fps, renditions),
                    output.RenderTime?.ToTimeSpan() ?? TimeSpan.Zero);
            }
        }
        else
        {
            var failure = result.Failure ?? new RenderFailure { Code = ErrorReasons.RenderFailed, Message = "the node reported no outcome", Retryable = true };
            completion = failure.Declined
                ? await leases.DeclineAsync(result.ProductionId, result.LeaseToken, failure.Code)
                : await leases.FailAsync(result.ProductionId, result.LeaseToken, failure.Code, failure.Message, failure.Retryable);
        }

        session.Active.TryRemove(new KeyValuePair<string, long>(result.ProductionId, result.LeaseToken));
        session.Send(new CoordinatorMessage
        {
            Ack = new ResultAck
            {
                ProductionId = result.ProductionId,
                LeaseToken = result.LeaseToken,
                Accepted = completion.Accepted,
                Reason = completion.RejectReason,
            },
        });
        CoordinatorMetrics.Completed(completion, result.Output is null && result.Failure?.Declined == true);
        await chunked.CleanUpAsync(completion.Part);
        if (!completion.Accepted)
        {
            ResultRejected(logger, result.ProductionId, result.LeaseToken, session.NodeId, completion.RejectReason);
            await DiscardUploadAsync(result);
        }

        registry.Wake();
    }

    // A chunked production's parts write under its prefix.
    private static bool IsOwnOutput(string productionId, string objectKey) =>
        objectKey.StartsWith(ChunkJobs.StoragePrefix(productionId), StringComparison.Ordinal) && !objectKey.Contains("..", StringComparison.Ordinal);

    // A rejected attempt may have uploaded already; its files are not the production's output.
    private async Task DiscardUploadAsync(RenderResult result)
    {
        var key = result.Output?.ObjectKey ?? "";
        var prefix = ChunkJobs.StoragePrefix(result.ProductionId);
        var slash = key.LastIndexOf('/');
        if (key.StartsWith(prefix, StringComparison.Ordinal) && slash > prefix.Length)
        {
            await store.DeletePrefixAsync(key[..(slash + 1)]);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Draining node {NodeId} (timeout {TimeoutMs} ms, 0: the node's own)")]
    private static partial void DrainSent(ILogger logger, string nodeId, long timeoutMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected result for {ProductionId} with lease token {Token} from node {NodeId}: {Reason}")]
    private static partial void ResultRejected(ILogger logger, string productionId, long token, string nodeId, string reason);
}
