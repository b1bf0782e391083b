using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;
using RenderFarm.Contracts.V1;
using StackExchange.Redis;

namespace RenderFarm.State;

/// <summary>
/// API keys in Redis. A raw key (<c>rf_</c> + 32 random bytes, base64url) exists only in the
/// response that created it; the store keeps its SHA-256 hash, which is what authentication looks up.
/// </summary>
public sealed class ApiKeyStore(IConnectionMultiplexer redis, IOptions<StateOptions> options, TimeProvider time)
{
    /// <summary>Prefix of every raw key.</summary>
    public const string RawPrefix = "rf_";

    private readonly string _prefix = options.Value.KeyPrefix;
    private IDatabase Db => redis.GetDatabase();

    /// <summary>Creates a key; returns it with its raw value, which is never stored.</summary>
    public async Task<(StoredApiKey Key, string Raw)> CreateAsync(string tenant, IReadOnlyCollection<ApiKey.Types.Scope> scopes, string displayName, double spendLimitSeconds,
        ApiKey.Types.RateLimits? rateLimits = null)
    {
        var raw = RawPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var id = Guid.CreateVersion7().ToString("N");
        RedisValue[] args = [id, Hash(raw), tenant, FormatScopes(scopes), displayName,
            raw[..9], spendLimitSeconds.ToString("R", CultureInfo.InvariantCulture), .. KeyRateLimits.Pairs(rateLimits)];
        await Db.RunAsync("apikey_create", _prefix, time, args);
        return (await GetAsync(id) ?? throw new InvalidOperationException($"API key {id} vanished"), raw);
    }

    /// <summary>The key a raw value names (revoked keys included), or null.</summary>
    public async Task<StoredApiKey?> FindAsync(string raw)
    {
        var result = await Db.RunAsync("apikey_find", _prefix, time, Hash(raw));
        return result.IsNull ? null : StoredApiKey.FromHash((RedisResult[])result!, Period);
    }

    /// <summary>One key by id, or null.</summary>
    public async Task<StoredApiKey?> GetAsync(string id)
    {
        if (!ProductionStore.IsId(id))
        {
            return null;
        }

        var entries = await Db.HashGetAllAsync(RecordKey(id));
        return entries.Length == 0 ? null : StoredApiKey.FromHash(entries, Period);
    }

    /// <summary>Revokes a key (idempotent); null when there is no such key.</summary>
    public async Task<StoredApiKey?> RevokeAsync(string id)
    {
        if (!ProductionStore.IsId(id))
        {
            return null;
        }

        var result = await Db.RunAsync("apikey_revoke", _prefix, time, id);
        return result.IsNull ? null : await ChangedAsync(StoredApiKey.FromHash((RedisResult[])result!, Period));
    }

    /// <summary>
    /// Changes what is given (null leaves it; <paramref name="rateLimits"/>: by proto field name, a
    /// null value gives the limit back to the tenant); the updated key, or null when there is no such key.
    /// </summary>
    public async Task<StoredApiKey?> UpdateAsync(string id, string? displayName, double? spendLimitSeconds,
        IReadOnlyDictionary<string, int?>? rateLimits = null)
    {
        if (!ProductionStore.IsId(id))
        {
            return null;
        }

        RedisValue[] args = [id, displayName is null ? "0" : "1", displayName ?? "",
            spendLimitSeconds is null ? "0" : "1", (spendLimitSeconds ?? 0).ToString("R", CultureInfo.InvariantCulture),
            .. KeyRateLimits.Pairs(rateLimits ?? new Dictionary<string, int?>())];
        var result = await Db.RunAsync("apikey_update", _prefix, time, args);
        return result.IsNull ? null : await ChangedAsync(StoredApiKey.FromHash((RedisResult[])result!, Period));
    }

    /// <summary>Channel on which every change of a key (revoke, update) is published with its id.</summary>
    public RedisChannel ChangedChannel => RedisChannel.Literal($"{_prefix}apikeys:changed");

    // Caches of looked-up keys (ApiKeyCache, one per facade) drop the key when they hear this.
    private async Task<StoredApiKey> ChangedAsync(StoredApiKey key)
    {
        await Db.PublishAsync(ChangedChannel, key.Id);
        return key;
    }

    /// <summary>A page of keys, newest first, after <paramref name="after"/>; only <paramref name="tenant"/>'s when given.</summary>
    public async Task<(IReadOnlyList<StoredApiKey> Items, PageCursor? Next)> ListAsync(int pageSize, PageCursor? after, string tenant)
    {
        const int batch = 100;
        var page = new List<StoredApiKey>(pageSize);
        double max = after?.CreateMs ?? double.PositiveInfinity;
        for (long offset = 0; ; offset += batch)
        {
            var entries = await Db.SortedSetRangeByScoreWithScoresAsync($"{_prefix}apikeys", double.NegativeInfinity, max, Exclude.None, Order.Descending, offset, batch);
            foreach (var entry in entries)
            {
                var id = (string)entry.Element!;
                if (after is not null && entry.Score == max && string.CompareOrdinal(id, after.Id) >= 0)
                {
                    continue;
                }

                if (await GetAsync(id) is not { } key || (tenant.Length > 0 && key.Tenant != tenant))
                {
                    continue;
                }

                page.Add(key);
                if (page.Count == pageSize)
                {
                    return (page, new PageCursor((long)entry.Score, id));
                }
            }

            if (entries.Length < batch)
            {
                return (page, null);
            }
        }
    }

    /// <summary>Hex SHA-256 of a raw key: the only form in which keys are stored.</summary>
    public static string Hash(string raw) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(raw))).ToLowerInvariant();

    private string RecordKey(string id) => $"{_prefix}apikey:{id}";

    // Spend counts the calendar month (UTC) of the injected clock.
    private string Period => UsagePeriod.Of(time.GetUtcNow());

    private static string FormatScopes(IEnumerable<ApiKey.Types.Scope> scopes) =>
        string.Join(',', scopes.Distinct().Order().Select(s => s.ToString().ToUpperInvariant()));
}

/// <summary>An API key as stored (hash aside).</summary>
public sealed record StoredApiKey(
    string Id,
    string Tenant,
    IReadOnlyList<ApiKey.Types.Scope> Scopes,
    string DisplayName,
    string KeyPrefix,
    double SpendLimitSeconds,
    double SpentSeconds,
    DateTimeOffset Created,
    DateTimeOffset? Revoked,
    ApiKey.Types.RateLimits? RateLimits = null)
{
    /// <summary>Whether the key may still be used.</summary>
    public bool IsRevoked => Revoked is not null;

    /// <summary>The public resource.</summary>
    public ApiKey ToApiKey()
    {
        var key = new ApiKey
        {
            Id = Id,
            Name = $"apiKeys/{Id}",
            Tenant = Tenant,
            DisplayName = DisplayName,
            KeyPrefix = KeyPrefix,
            SpendLimitSeconds = SpendLimitSeconds,
            SpentSeconds = SpentSeconds,
            CreateTime = Timestamp.FromDateTimeOffset(Created),
            RevokeTime = Revoked is { } r ? Timestamp.FromDateTimeOffset(r) : null,
            RateLimits = RateLimits?.Clone(),
        };
        key.Scopes.Add(Scopes);
        return key;
    }

    internal static StoredApiKey FromHash(HashEntry[] entries, string period) =>
        From(entries.ToDictionary(e => (string)e.Name!, e => (string?)e.Value), period);

    internal static StoredApiKey FromHash(RedisResult[] flat, string period)
    {
        var h = new Dictionary<string, string?>();
        for (var i = 0; i + 1 < flat.Length; i += 2)
        {
            h[(string)flat[i]!] = (string?)flat[i + 1];
        }

        return From(h, period);
    }

    // Spend recorded in an earlier month than `period` is that month's: this month's is 0 so far.
    private static StoredApiKey From(Dictionary<string, string?> h, string period)
    {
        string Get(string name) => h.TryGetValue(name, out var v) && v is not null ? v : "";
        double Number(string name) => double.TryParse(Get(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : 0;
        DateTimeOffset? Time(string name) => double.TryParse(Get(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)ms) : null;
        var scopes = Get("scopes").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => System.Enum.TryParse<ApiKey.Types.Scope>(s, ignoreCase: true, out var scope) ? scope : ApiKey.Types.Scope.Unspecified)
            .Where(s => s != ApiKey.Types.Scope.Unspecified)
            .ToList();
        return new StoredApiKey(Get("id"), Get("tenant"), scopes, Get("display_name"), Get("key_prefix"),
            Number("spend_limit"), Get("spent_period") == period ? Number("spent") : 0, Time("created") ?? DateTimeOffset.UnixEpoch, Time("revoked"),
            KeyRateLimits.FromRecord(name => h.GetValueOrDefault(name)));
    }
}
