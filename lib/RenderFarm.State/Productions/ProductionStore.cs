using System.Security.Cryptography;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using StackExchange.Redis;

namespace RenderFarm.State;

/// <summary>Creates, reads, lists, cancels and deletes productions on behalf of a tenant.</summary>
public sealed class ProductionStore(
    IConnectionMultiplexer redis,
    IOptions<StateOptions> options,
    TimeProvider time,
    IOptions<SchedulerOptions>? scheduler = null,
    IOptions<TenantOptions>? tenants = null)
{
    private readonly Keys _keys = new(options.Value.KeyPrefix);
    private readonly long _agingStepMs = (scheduler?.Value ?? new SchedulerOptions()).AgingStepMs;
    private readonly TenantOptions _tenants = tenants?.Value ?? new TenantOptions();
    private IDatabase Db => redis.GetDatabase();

    /// <summary>
    /// Stores and queues a production. With a request id, a repeat of the same request returns the
    /// production the first call created; a different request under the same id is a conflict.
    /// A tenant with <see cref="TenantLimits.MaxQueued"/> productions waiting gets nothing queued
    /// (<see cref="CreateOutcome.QueueFull"/>). A <paramref name="job"/> other than a render (the
    /// default) is filed under the tenant's account for its kind (<see cref="JobKinds.Account"/>).
    /// </summary>
    public async Task<CreateOutcome> CreateAsync(string tenant, CreateProductionRequest request, int maxAttempts, TimeSpan idempotencyTtl, JobSpec? job = null)
    {
        job = JobKinds.Normalize(job);
        if (job.Traceparent.Length == 0)
        {
            // The create request's trace: the coordinator and node continue it when the job runs.
            job.Traceparent = FarmTracing.CurrentTraceparent();
        }
        tenant = JobKinds.Account(tenant, job.Kind);
        var spec = request.ToByteArray();
        var hash = Convert.ToHexString(SHA256.HashData(spec));
        var idemKey = request.RequestId.Length == 0 ? "" : _keys.Idempotency(tenant, request.RequestId);
        var id = OrderedIds.Next();
        var (classId, classJson) = Placements.ClassOf(request.Placement);
        var limits = _tenants.For(tenant);
        var result = (RedisResult[])(await Db.RunAsync("create", _keys.Prefix, time,
            id, tenant, Rank(request.Priority), spec, maxAttempts, idemKey, hash, (long)idempotencyTtl.TotalSeconds,
            _agingStepMs, classId, classJson, Placements.WaitingStage(request.Placement), limits.MaxQueued ?? 0, limits.MaxRunning ?? 0,
            WantsWebhook(job.Kind, request, limits) ? "1" : "0", JobKinds.Name(job.Kind), job.ToByteArray()))!;
        if ((string)result[0]! == "queue_full")
        {
            return new CreateOutcome(null, Existing: false, QueueFull: true, QueueLimit: limits.MaxQueued ?? 0);
        }

        if ((string)result[0]! == "created")
        {
            var fields = (RedisResult[])result[2]!;
            var entries = new HashEntry[fields.Length / 2];
            for (var i = 0; i < entries.Length; i++)
            {
                entries[i] = new HashEntry((string)fields[2 * i]!, (RedisValue)fields[(2 * i) + 1]);
            }

            return new CreateOutcome(StoredProduction.FromHash(entries), Existing: false);
        }

        var prior = ((string)result[1]!).Split('|');
        var existing = await GetAsync(tenant, prior[0]);
        return existing is null || prior[1] != hash
            ? new CreateOutcome(existing, Existing: true, Conflict: true)
            : new CreateOutcome(existing, Existing: true);
    }

    /// <summary>Reads a production (or the tenant's job of another <paramref name="kind"/>), or null when the tenant has none with that id.</summary>
    public async Task<StoredProduction?> GetAsync(string tenant, string id, JobSpec.Types.Kind kind = JobSpec.Types.Kind.Render)
    {
        if (!IsId(id))
        {
            return null;
        }

        var stored = StoredProduction.FromHash(await Db.HashGetAllAsync(_keys.Production(id)));
        return stored is not null && stored.Job.Kind == kind && stored.Tenant == JobKinds.Account(tenant, kind) ? stored : null;
    }

    /// <summary>Reads a production regardless of tenant (coordinator use).</summary>
    public async Task<StoredProduction?> GetAnyAsync(string id) =>
        IsId(id) ? StoredProduction.FromHash(await Db.HashGetAllAsync(_keys.Production(id))) : null;

    /// <summary>A page of the tenant's productions, newest first, starting after <paramref name="afterCreateMs"/>/<paramref name="afterId"/>.</summary>
    public async Task<ProductionPage> ListAsync(string tenant, int pageSize, long? afterCreateMs, string? afterId, Production.Types.State state)
    {
        var after = afterCreateMs is { } ms && afterId is not null ? new PageCursor(ms, afterId) : null;
        var (items, next) = await IndexPages.ReadAsync(Db, _keys.TenantProductions(tenant), pageSize, after, async id =>
            await GetAsync(tenant, id) is { } stored && (state == Production.Types.State.Unspecified || stored.Production.State == state) ? stored : null);
        return new ProductionPage(items, next);
    }

    /// <summary>Cancels a queued or running production. Returns its state afterwards, or null when not found.</summary>
    public async Task<Production.Types.State?> CancelAsync(string tenant, string id)
    {
        if (!IsId(id))
        {
            return null;
        }

        var state = (string)(await Db.RunAsync("cancel", _keys.Prefix, time, id, tenant))!;
        return state == ErrorReasons.NotFound ? null : Enum.Parse<Production.Types.State>(state, ignoreCase: true);
    }

    /// <summary>Deletes a production record (stopping its render); false when not found.</summary>
    public async Task<bool> DeleteAsync(string tenant, string id) =>
        IsId(id) && (int)await Db.RunAsync("delete", _keys.Prefix, time, id, tenant) == 1;

    /// <summary>Whether <paramref name="requestId"/> already names a production of the tenant (a repeat of a create).</summary>
    public async Task<bool> IsKnownRequestAsync(string tenant, string requestId) =>
        requestId.Length > 0 && await Db.KeyExistsAsync(_keys.Idempotency(tenant, requestId));

    /// <summary>
    /// Channel on which a production that may have finished is published with its id when it changes
    /// again (deleted, its output expired): the only changes a finished production has. Caches of
    /// finished productions (one per facade) drop the id when they hear it.
    /// </summary>
    public RedisChannel FinishedChangedChannel => RedisChannel.Literal(_keys.FinishedChanged);

    /// <summary>Object-store prefix under which every attempt of a production writes.</summary>
    public static string ObjectPrefix(string id) => $"productions/{id}/";

    // Decided once, at creation: a production with no webhook of its own, of a tenant without a
    // default one, never enters the webhook outbox. A default configured later applies to
    // productions created after it. Only a production's render calls out: a plan's preview job
    // (and a production's parts, later) never does.
    private static bool WantsWebhook(JobSpec.Types.Kind kind, CreateProductionRequest request, TenantLimits limits) =>
        kind == JobSpec.Types.Kind.Render
        && (request.WebhookUrl.Length > 0 || !string.IsNullOrEmpty(limits.WebhookUrl));

    internal static int Rank(Priority priority) => priority switch
    {
        Priority.High => 0,
        Priority.Low => 2,
        _ => 1,
    };

    // Ids are generated hex; anything else cannot name a production (and never reaches a key).
    internal static bool IsId(string id) => id.Length is > 0 and <= 64 && id.All(char.IsAsciiLetterOrDigit);
}

/// <summary>Outcome of <see cref="ProductionStore.CreateAsync"/>.</summary>
/// <param name="Production">The created or original production; null on a conflict with a deleted one or a full queue.</param>
/// <param name="Existing">A repeat of an earlier request.</param>
/// <param name="Conflict">The request id was used for a different request.</param>
/// <param name="QueueFull">The tenant already has <paramref name="QueueLimit"/> productions waiting; nothing was queued.</param>
/// <param name="QueueLimit">The tenant's queue limit, when it was reached.</param>
public sealed record CreateOutcome(StoredProduction? Production, bool Existing, bool Conflict = false, bool QueueFull = false, int QueueLimit = 0);

/// <summary>A page of productions and the cursor of the next one (null on the last page).</summary>
public sealed record ProductionPage(IReadOnlyList<StoredProduction> Items, PageCursor? Next);

/// <summary>Position after the last item of a page.</summary>
public sealed record PageCursor(long CreateMs, string Id);
