using Google.Protobuf.WellKnownTypes;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;

namespace RenderFarm.Facade.Templates;

/// <summary>
/// AIP-134 updates of a template: the update mask names the fields to replace (proto or JSON
/// names; "*" for every updatable one); without a mask, every field the request sets is replaced.
/// </summary>
internal static class TemplateMask
{
    private static readonly Dictionary<string, Action<Template, Template>> Updatable = new(StringComparer.Ordinal)
    {
        ["display_name"] = (to, from) => to.DisplayName = from.DisplayName,
        ["description"] = (to, from) => to.Description = from.Description,
        ["canvas"] = (to, from) => to.Canvas = from.Canvas?.Clone(),
        ["output"] = (to, from) => to.Output = from.Output?.Clone(),
        ["fields"] = (to, from) =>
        {
            to.Fields.Clear();
            to.Fields.Add(from.Fields.Select(f => f.Clone()));
        },
        ["bindings"] = (to, from) =>
        {
            to.Bindings.Clear();
            to.Bindings.Add(from.Bindings.Select(b => b.Clone()));
        },
    };

    /// <summary><paramref name="current"/> with the masked fields of <paramref name="update"/>; INVALID_ARGUMENT naming updateMask for a path it cannot change.</summary>
    public static Template Apply(Template current, Template update, FieldMask? mask)
    {
        var paths = mask is { Paths.Count: > 0 } ? mask.Paths.ToList() : Present(update);
        var next = current.Clone();
        foreach (var path in paths.Contains("*") ? [.. Updatable.Keys] : paths)
        {
            var field = Template.Descriptor.Fields.InDeclarationOrder().FirstOrDefault(f => f.Name == path || f.JsonName == path);
            if (field is null || !Updatable.TryGetValue(field.Name, out var copy))
            {
                throw Problems.InvalidArgument("updateMask", ErrorReasons.UnknownField,
                    $"'{path}' is not a field an update can change ({string.Join(", ", Updatable.Keys.Select(k => Template.Descriptor.FindFieldByName(k).JsonName))}, or *)");
            }

            copy(next, update);
        }

        return next;
    }

    // AIP-134: without a mask, the fields the request populates.
    private static List<string> Present(Template update) =>
        [.. Updatable.Keys.Where(name =>
        {
            var field = Template.Descriptor.FindFieldByName(name);
            return field.Accessor.GetValue(update) switch
            {
                null => false,
                string s => s.Length > 0,
                System.Collections.IList list => list.Count > 0,
                _ => true,
            };
        })];
}
