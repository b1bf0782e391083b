using System.Globalization;
using Google.Protobuf.Reflection;
using RenderFarm.Contracts.V1;
using StackExchange.Redis;

namespace RenderFarm.State;

/// <summary>
/// A key's own rate limits (<see cref="ApiKey.Types.RateLimits"/>) in its Redis record: one field
/// <c>rl_{proto name}</c> per limit the key sets; a limit without a field is the tenant's.
/// </summary>
public static class KeyRateLimits
{
    private const string FieldPrefix = "rl_";

    /// <summary>The limits, by proto field name.</summary>
    public static IReadOnlyList<FieldDescriptor> Fields { get; } = [.. ApiKey.Types.RateLimits.Descriptor.Fields.InDeclarationOrder()];

    /// <summary>Record field and value of each limit <paramref name="limits"/> sets, flattened for a script.</summary>
    public static IEnumerable<RedisValue> Pairs(ApiKey.Types.RateLimits? limits) =>
        limits is null ? [] : Fields.Where(f => f.Accessor.HasValue(limits))
            .SelectMany(f => new RedisValue[] { FieldPrefix + f.Name, Invariant((int)f.Accessor.GetValue(limits)) });

    /// <summary>Record field and value of each change (null value: back to the tenant's), flattened for a script.</summary>
    public static IEnumerable<RedisValue> Pairs(IReadOnlyDictionary<string, int?> changes) =>
        changes.SelectMany(c => new RedisValue[] { FieldPrefix + c.Key, c.Value is { } v ? Invariant(v) : "" });

    /// <summary>The limits a record holds; null when it holds none.</summary>
    public static ApiKey.Types.RateLimits? FromRecord(Func<string, string?> field)
    {
        ApiKey.Types.RateLimits? limits = null;
        foreach (var f in Fields)
        {
            if (int.TryParse(field(FieldPrefix + f.Name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                limits ??= new ApiKey.Types.RateLimits();
                f.Accessor.SetValue(limits, value);
            }
        }

        return limits;
    }

    /// <summary>The limits as tenant limits to lay over the tenant's (<see cref="TenantLimits.Over"/>).</summary>
    public static TenantLimits? ToTenantLimits(ApiKey.Types.RateLimits? limits) => limits is null ? null : new TenantLimits
    {
        RequestsPerMinute = limits.HasRequestsPerMinute ? limits.RequestsPerMinute : null,
        Burst = limits.HasBurst ? limits.Burst : null,
        ReadsPerMinute = limits.HasReadsPerMinute ? limits.ReadsPerMinute : null,
        ReadBurst = limits.HasReadBurst ? limits.ReadBurst : null,
        MaxStreams = limits.HasMaxStreams ? limits.MaxStreams : null,
    };

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
