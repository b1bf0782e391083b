using Google.Protobuf.WellKnownTypes;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;

namespace RenderFarm.CanvasModel.Templates;

/// <summary>
/// Fills a template with values: checks each merge value against its field, substitutes the
/// values into the string fields of a copy of the canvas and output (parsed fields, never JSON
/// text), and sets the numeric fields NUMBER bindings name.
/// </summary>
public static class TemplateMerger
{
    /// <summary>
    /// The template filled with <paramref name="merge"/> (defaults where a field has no value).
    /// Violations name <c>merge.NAME</c> for a value at fault, or the canvas path of a placeholder
    /// left unfilled.
    /// </summary>
    public static MergedTemplate Merge(Template template, IReadOnlyDictionary<string, Value> merge)
    {
        var violations = new List<FieldViolation>();
        var declared = template.Fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
        foreach (var key in merge.Keys.Where(k => !declared.ContainsKey(k)).Order(StringComparer.Ordinal))
        {
            violations.Add(new($"merge.{key}", ErrorReasons.MergeFieldUnknown,
                $"the template declares no field '{key}' (it has {Names(template)})"));
        }

        var values = new Dictionary<string, FieldValue>(StringComparer.Ordinal);
        var fromMerge = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in template.Fields)
        {
            if (merge.TryGetValue(field.Name, out var given) && given.KindCase is not (Value.KindOneofCase.None or Value.KindOneofCase.NullValue))
            {
                if (FieldValue.Check(field.Type, given, out var wrong) is { } value)
                {
                    values[field.Name] = value;
                    fromMerge.Add(field.Name);
                }
                else
                {
                    violations.Add(wrong! with { Field = $"merge.{field.Name}" });
                }
            }
            else if (field.Required)
            {
                violations.Add(new($"merge.{field.Name}", ErrorReasons.FieldRequired, $"the template requires a value for {field.Name}"));
            }
            else if (DefaultOf(field) is { } fallback)
            {
                values[field.Name] = fallback;
            }
        }

        return violations.Count > 0
            ? new MergedTemplate(null, null, violations, new Dictionary<string, string>())
            : Fill(template, values, fromMerge, "");
    }

    /// <summary>A field's default as a value, or null when it has none (or, in a template not yet validated, a wrong one).</summary>
    public static FieldValue? DefaultOf(TemplateField field) =>
        field.Default is { KindCase: not (Value.KindOneofCase.None or Value.KindOneofCase.NullValue) } d
            ? FieldValue.Check(field.Type, d, out _)
            : null;

    /// <summary>
    /// Substitutes <paramref name="values"/> into copies of the canvas and output and applies the
    /// bindings. Paths are prefixed with <paramref name="prefix"/> ("template." when a saved
    /// template is checked).
    /// </summary>
    internal static MergedTemplate Fill(Template template, IReadOnlyDictionary<string, FieldValue> values, IReadOnlySet<string> fromMerge, string prefix)
    {
        var violations = new List<FieldViolation>();
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        var canvas = template.Canvas.Clone();
        var output = template.Output?.Clone();

        string Substitute(string path, string text)
        {
            var used = new List<string>();
            var unfilled = new List<string>();
            var filled = Placeholders.Substitute(text, name =>
            {
                if (!values.TryGetValue(name, out var value))
                {
                    return null;
                }

                used.Add(name);
                return value.Text;
            }, unfilled);
            foreach (var name in unfilled.Distinct(StringComparer.Ordinal))
            {
                violations.Add(new(prefix + path, ErrorReasons.PlaceholderUnfilled,
                    $"{{{{{name}}}}} has no value: give merge.{name} (the field has no default)"));
            }

            var merged = used.Where(fromMerge.Contains).Distinct(StringComparer.Ordinal).ToList();
            if (merged.Count == 1)
            {
                sources[path] = merged[0];
            }

            return filled;
        }

        MessageStrings.Rewrite(canvas, "canvas", Substitute);
        if (output is not null)
        {
            MessageStrings.Rewrite(output, "output", Substitute);
        }

        for (var i = 0; i < template.Bindings.Count; i++)
        {
            var binding = template.Bindings[i];
            if (!values.TryGetValue(binding.Field, out var value) || value.Number is not { } number)
            {
                continue;
            }

            var target = NumericPath.Resolve(canvas, "canvas", binding.Path, out var problem);
            if (target is null)
            {
                violations.Add(new($"template.bindings[{i}].path", ErrorReasons.BindingPathInvalid, problem));
            }
            else if (!target.TrySet(number))
            {
                var at = fromMerge.Contains(binding.Field) ? $"merge.{binding.Field}" : $"template.fields[{IndexOf(template, binding.Field)}].default";
                violations.Add(new(at, ErrorReasons.OutOfRange, $"{binding.Path} takes {(target.IsInteger ? "whole numbers" : "numbers")} in range; {number} does not fit"));
            }
            else if (fromMerge.Contains(binding.Field))
            {
                sources[binding.Path] = binding.Field;
            }
        }

        return new MergedTemplate(canvas, output, violations, sources);
    }

    private static int IndexOf(Template template, string name) => template.Fields.ToList().FindIndex(f => f.Name == name);

    private static string Names(Template template) =>
        template.Fields.Count == 0 ? "no fields" : string.Join(", ", template.Fields.Select(f => f.Name));
}

/// <summary>
/// A filled template: the canvas and output to render (null when <see cref="Violations"/> is not
/// empty), and which merge field filled each canvas path, so a later check of the canvas can name
/// the merge value at fault.
/// </summary>
public sealed record MergedTemplate(Contracts.V1.Canvas? Canvas, OutputSpec? Output, IReadOnlyList<FieldViolation> Violations, IReadOnlyDictionary<string, string> Sources)
{
    /// <summary><paramref name="violation"/> renamed to <c>merge.NAME</c> when a merge value alone filled the field it names.</summary>
    public FieldViolation Attribute(FieldViolation violation) =>
        Sources.TryGetValue(violation.Field, out var name)
            ? violation with { Field = $"merge.{name}", Description = $"{violation.Description.TrimEnd('.')} (at {violation.Field})" }
            : violation;
}
