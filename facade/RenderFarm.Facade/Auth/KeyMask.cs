using Google.Protobuf.WellKnownTypes;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;

namespace RenderFarm.Facade.Auth;

/// <summary>
/// AIP-134 update mask of an API key: the fields an update may change, by proto or JSON name, or
/// "*" for all; without a mask, those the request sets to a non-default value.
/// </summary>
internal static class KeyMask
{
    public const string DisplayName = "display_name";
    public const string SpendLimitSeconds = "spend_limit_seconds";

    private static readonly string[] Updatable = [DisplayName, SpendLimitSeconds];

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
        }

        foreach (var path in mask?.Paths ?? [])
        {
            if (path == "*")
            {
                paths.UnionWith(Updatable);
                continue;
            }

            var field = ApiKey.Descriptor.Fields.InDeclarationOrder().FirstOrDefault(f => f.Name == path || f.JsonName == path);
            if (field is null || !Updatable.Contains(field.Name))
            {
                throw Problems.InvalidArgument("updateMask", ErrorReasons.UnknownField,
                    $"'{path}' is not a field an update can change (displayName, spendLimitSeconds, or *)");
            }

            paths.Add(field.Name);
        }

        return paths.Count > 0
            ? paths
            : throw Problems.InvalidArgument("updateMask", ErrorReasons.FieldRequired,
                "nothing to change: set displayName or spendLimitSeconds, or name them in updateMask (to clear one)");
    }
}
