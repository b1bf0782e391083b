using Google.Protobuf.WellKnownTypes;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;
using RenderFarm.State;

namespace RenderFarm.Facade.Auth;

/// <summary>
/// AIP-134 update mask of an API key: the fields an update may change, by proto or JSON name, or
/// "*" for all; without a mask, those the request sets to a non-default value. Rate limits are
/// paths of their own, <c>rate_limits.reads_per_minute</c> and the like: the mask may name one
/// (<c>rateLimits.readsPerMinute</c>) or all five (<c>rateLimits</c>); without a mask, each the
/// request sets is changed.
/// </summary>
internal static class KeyMask
{
    public const string DisplayName = "display_name";
    public const string SpendLimitSeconds = "spend_limit_seconds";
    public const string RateLimitsPrefix = "rate_limits.";

    private static readonly string[] RateLimitPaths = [.. KeyRateLimits.Fields.Select(f => RateLimitsPrefix + f.Name)];
    private static readonly string[] Updatable = [DisplayName, SpendLimitSeconds, .. RateLimitPaths];

    /// <summary>The proto names of the fields to change; INVALID_ARGUMENT naming updateMask when it names another, or when nothing would change.</summary>
    public static IReadOnlySet<string> Paths(FieldMask? mask, ApiKey update)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        if (mask is not { Paths.Count: > 0 })
        {
            if (update.DisplayName.Length > 0)
            {
                paths.Add(DisplayName);
            }

            if (update.SpendLimitSeconds != 0)
            {
                paths.Add(SpendLimitSeconds);
            }

            if (update.RateLimits is { } limits)
            {
                paths.UnionWith(KeyRateLimits.Fields.Where(f => f.Accessor.HasValue(limits)).Select(f => RateLimitsPrefix + f.Name));
            }
        }

        foreach (var path in mask?.Paths ?? [])
        {
            if (path == "*")
            {
                paths.UnionWith(Updatable);
                continue;
            }

            var dot = path.IndexOf('.', StringComparison.Ordinal);
            var field = Find(ApiKey.Descriptor, dot < 0 ? path : path[..dot]);
            if (field?.Name == "rate_limits" && dot < 0)
            {
                paths.UnionWith(RateLimitPaths);
                continue;
            }

            var name = field?.Name == "rate_limits" && Find(ApiKey.Types.RateLimits.Descriptor, path[(dot + 1)..]) is { } limit
                ? RateLimitsPrefix + limit.Name
                : dot < 0 ? field?.Name : null;
            if (name is null || !Updatable.Contains(name))
            {
                throw Problems.InvalidArgument("updateMask", ErrorReasons.UnknownField,
                    $"'{path}' is not a field an update can change (displayName, spendLimitSeconds, rateLimits, rateLimits.readsPerMinute and its siblings, or *)");
            }

            paths.Add(name);
        }

        return paths.Count > 0
            ? paths
            : throw Problems.InvalidArgument("updateMask", ErrorReasons.FieldRequired,
                "nothing to change: set displayName, spendLimitSeconds or a rate limit, or name them in updateMask (to clear one)");
    }

    /// <summary>The rate limits the paths change, by proto name: the request's value, or null (back to the tenant's) where it leaves one unset.</summary>
    public static IReadOnlyDictionary<string, int?> RateLimitChanges(IReadOnlySet<string> paths, ApiKey update)
    {
        var changes = new Dictionary<string, int?>(StringComparer.Ordinal);
        foreach (var f in KeyRateLimits.Fields.Where(f => paths.Contains(RateLimitsPrefix + f.Name)))
        {
            changes[f.Name] = update.RateLimits is { } limits && f.Accessor.HasValue(limits) ? (int)f.Accessor.GetValue(limits) : null;
        }

        return changes;
    }

    private static Google.Protobuf.Reflection.FieldDescriptor? Find(Google.Protobuf.Reflection.MessageDescriptor message, string name) =>
        message.Fields.InDeclarationOrder().FirstOrDefault(f => f.Name == name || f.JsonName == name);
}
