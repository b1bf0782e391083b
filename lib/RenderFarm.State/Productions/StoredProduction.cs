using Google.Protobuf.WellKnownTypes;
using RenderFarm.Contracts.V1;
using StackExchange.Redis;

namespace RenderFarm.State;

/// <summary>A production as stored: the public resource (without minted URLs) plus what only the farm sees.</summary>
/// <param name="Production">The resource; result.url and poster_url are left for the caller to mint.</param>
/// <param name="Tenant">The account it is filed under: the owning tenant's, or for a preview its preview account (<see cref="JobKinds.Account"/>).</param>
/// <param name="LeaseToken">Fencing token of the running attempt, 0 when none.</param>
/// <param name="Output">Facts of the winning attempt's upload, once SUCCEEDED.</param>
/// <param name="Sequence">Last event sequence.</param>
public sealed record StoredProduction(Production Production, string Tenant, long LeaseToken, RenderOutput? Output, long Sequence)
{
    internal static StoredProduction? FromHash(HashEntry[] entries)
    {
        if (entries.Length == 0)
        {
            return null;
        }

        var h = entries.ToDictionary(e => (string)e.Name!, e => e.Value);
        var spec = CreateProductionRequest.Parser.ParseFrom((byte[])h["spec"]!);
        var p = new Production
        {
            Id = (string)h["id"]!,
            Name = $"productions/{(string)h["id"]!}",
            DisplayName = spec.DisplayName,
            State = System.Enum.Parse<Production.Types.State>((string)h["state"]!, ignoreCase: true),
            Progress = (double)h["progress"],
            Stage = (string?)Get(h, "stage") ?? "",
            Canvas = spec.Canvas,
            Output = spec.Output,
            CreateTime = Time(h, "created"),
            StartTime = Time(h, "started"),
            EndTime = Time(h, "ended"),
            Attempts = (int)(long)h["attempts"],
            NodeId = (string?)Get(h, "node") ?? "",
            Priority = spec.Priority,
            RenderedSeconds = (double?)Get(h, "rendered_seconds") ?? 0,
            WebhookUrl = spec.WebhookUrl,
            Placement = spec.Placement,
        };
        p.Labels.Add(spec.Labels);
        p.Renditions.Add(spec.Renditions);
        var code = (string?)Get(h, "error_code");
        if (!string.IsNullOrEmpty(code) && p.State != Production.Types.State.Succeeded)
        {
            p.Error = new ProductionError { Code = code, Message = (string?)Get(h, "error_message") ?? "" };
        }

        if (Get(h, "processing_ms") is { IsNull: false } ms)
        {
            p.ProcessingTime = Duration.FromTimeSpan(TimeSpan.FromMilliseconds((double)ms));
        }

        RenderOutput? output = null;
        if (Get(h, "result") is { IsNull: false } result)
        {
            output = RenderOutput.Parser.ParseFrom((byte[])result!);
        }

        return new StoredProduction(p, (string)h["tenant"]!, (long?)Get(h, "token") ?? 0, output, (long?)Get(h, "seq") ?? 0)
        {
            OutputExpired = Get(h, "result_expired") is { IsNull: false },
            Job = JobKinds.Read(Get(h, "job")),
        };
    }

    private static RedisValue Get(Dictionary<string, RedisValue> h, string name) =>
        h.TryGetValue(name, out var v) ? v : RedisValue.Null;

    private static Timestamp? Time(Dictionary<string, RedisValue> h, string name) =>
        Get(h, name) is { IsNull: false } v ? Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds((long)v)) : null;

    /// <summary>Whether the retention sweep deleted the output (the result keeps its facts, without URLs).</summary>
    public bool OutputExpired { get; init; }

    /// <summary>What kind of job this is, with the kind's payload (never KIND_UNSPECIFIED).</summary>
    public JobSpec Job { get; init; } = JobKinds.Render();

    /// <summary>The tenant the job works for.</summary>
    public string Owner => JobKinds.Owner(Tenant, Job.Kind);

    /// <summary>Whether the production reached a final state.</summary>
    public bool IsFinal => Production.State.IsFinal();
}

/// <summary>Final-state test shared by the store and the API.</summary>
public static class ProductionStates
{
    /// <summary>Whether <paramref name="state"/> is SUCCEEDED, FAILED or CANCELLED.</summary>
    public static bool IsFinal(this Production.Types.State state) =>
        state is Production.Types.State.Succeeded or Production.Types.State.Failed or Production.Types.State.Cancelled;
}
