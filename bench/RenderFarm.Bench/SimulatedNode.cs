using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using RenderFarm.Contracts.V1;

namespace RenderFarm.Bench;

/// <summary>
/// A node speaking the real gateway protocol that renders nothing: every assignment is answered at
/// once with a success under its fencing token, so only the scheduler's cost is measured.
/// </summary>
internal sealed class SimulatedNode : IAsyncDisposable
{
    private readonly GrpcChannel _channel;
    private readonly AsyncDuplexStreamingCall<NodeMessage, CoordinatorMessage> _call;
    private readonly BenchRecorder _recorder;
    private readonly Task _loop;

    private SimulatedNode(GrpcChannel channel, AsyncDuplexStreamingCall<NodeMessage, CoordinatorMessage> call, BenchRecorder recorder)
    {
        _channel = channel;
        _call = call;
        _recorder = recorder;
        _loop = Task.Run(RunAsync);
    }

    public static async Task<SimulatedNode> ConnectAsync(string url, string token, string nodeId, int slots, BenchRecorder recorder)
    {
        var channel = GrpcChannel.ForAddress(url);
        var call = new NodeGateway.NodeGatewayClient(channel).Connect(new Metadata { { "authorization", $"Bearer {token}" } });
        await call.RequestStream.WriteAsync(new NodeMessage
        {
            Hello = new NodeHello { NodeId = nodeId, Slots = slots, Capabilities = new NodeCapabilities { CpuCores = 1, Encoders = { "libx264" } }, Version = "bench" },
        });
        return new SimulatedNode(channel, call, recorder);
    }

    private async Task RunAsync()
    {
        try
        {
            await foreach (var message in _call.ResponseStream.ReadAllAsync())
            {
                switch (message.KindCase)
                {
                    case CoordinatorMessage.KindOneofCase.Assign:
                        var a = message.Assign;
                        _recorder.Assigned(a.ProductionId);
                        await _call.RequestStream.WriteAsync(new NodeMessage
                        {
                            Result = new RenderResult
                            {
                                ProductionId = a.ProductionId,
                                LeaseToken = a.LeaseToken,
                                Output = new RenderOutput { ObjectKey = a.ObjectKey, SizeBytes = 1, Duration = 1, Width = 320, Height = 240, Fps = 25, ContentType = "video/mp4", VideoCodec = "h264" },
                            },
                        });
                        break;
                    case CoordinatorMessage.KindOneofCase.Ack:
                        _recorder.Completed(message.Ack.Accepted);
                        break;
                }
            }
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Cancelled or StatusCode.Unavailable)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _call.RequestStream.CompleteAsync();
        }
        catch (InvalidOperationException)
        {
        }

        _call.Dispose();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _channel.Dispose();
    }
}

/// <summary>When each production was submitted and assigned, and how many results were acknowledged.</summary>
internal sealed class BenchRecorder
{
    private readonly ConcurrentDictionary<string, long> _assigned = new();
    private readonly ConcurrentDictionary<string, long> _submitted = new();
    private int _completed;
    private int _rejected;
    private TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _target = int.MaxValue;

    public int CompletedCount => Volatile.Read(ref _completed);
    public int Rejected => Volatile.Read(ref _rejected);
    public long LastAssigned => _assigned.Values.DefaultIfEmpty(0).Max();

    /// <summary>Starts a phase: counts reset, <see cref="Done"/> completes after <paramref name="target"/> acknowledged results.</summary>
    public void Reset(int target)
    {
        _assigned.Clear();
        _submitted.Clear();
        Volatile.Write(ref _completed, 0);
        Volatile.Write(ref _rejected, 0);
        _target = target;
        _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public Task Done => _done.Task;

    public void Submitted(string id, long timestamp) => _submitted[id] = timestamp;

    public void Assigned(string id) => _assigned.TryAdd(id, Stopwatch.GetTimestamp());

    public void Completed(bool accepted)
    {
        if (!accepted)
        {
            Interlocked.Increment(ref _rejected);
        }

        if (Interlocked.Increment(ref _completed) >= _target)
        {
            _done.TrySetResult();
        }
    }

    /// <summary>Submit → Assign receipt, milliseconds, of every production submitted and assigned in this phase.</summary>
    public double[] Latencies() =>
        [.. _submitted.Where(s => _assigned.ContainsKey(s.Key))
            .Select(s => Stopwatch.GetElapsedTime(s.Value, _assigned[s.Key]).TotalMilliseconds)
            .Order()];
}
