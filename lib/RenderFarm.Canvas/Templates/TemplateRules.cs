using Google.Protobuf.WellKnownTypes;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;

namespace RenderFarm.CanvasModel.Templates;

/// <summary>
/// Checks a template before it is stored, so a broken one never is: its fields, defaults and
/// bindings, that every placeholder names a declared field and every field is used, and then the
/// canvas itself, filled with the defaults (a sample value of its type where a field has none),
/// through the same <see cref="CanvasValidator"/> as CreateProduction. Paths start at
/// <c>template.</c>.
/// </summary>
public static class TemplateRules
{
    /// <summary>Most fields, and most bindings, of one template.</summary>
    public const int MaxFields = 100;

    /// <summary>Longest display name, description of a template, and description of a field.</summary>
    public const int MaxDisplayName = 512, MaxDescription = 2000, MaxFieldDescription = 1000;

    public static IReadOnlyList<FieldViolation> Validate(Template template)
    {
        var v = new List<FieldViolation>();
        if (template.Canvas is null)
        {
            v.Add(new("template.canvas", ErrorReasons.FieldRequired, "a template needs a canvas"));
            return v;
        }

        Length(v, "template.displayName", template.DisplayName, MaxDisplayName);
        Length(v, "template.description", template.Description, MaxDescription);
        if (template.Fields.Count > MaxFields || template.Bindings.Count > MaxFields)
        {
            v.Add(new(template.Fields.Count > MaxFields ? "template.fields" : "template.bindings", ErrorReasons.LimitExceeded, $"at most {MaxFields}"));
            return v;
        }

        var fields = CheckFields(template, v);
        var used = new HashSet<string>(StringComparer.Ordinal);
        CheckBindings(template, fields, used, v);
        var strings = MessageStrings.All(template.Canvas, "template.canvas");
        if (template.Output is not null)
        {
            strings.AddRange(MessageStrings.All(template.Output, "template.output"));
        }

        foreach (var (path, text) in strings)
        {
            foreach (var name in Placeholders.Names(text).Distinct(StringComparer.Ordinal))
            {
                used.Add(name);
                if (!fields.ContainsKey(name))
                {
                    v.Add(new(path, ErrorReasons.FieldUndeclared, $"{{{{{name}}}}} names no field of template.fields"));
                }
            }
        }

        for (var i = 0; i < template.Fields.Count; i++)
        {
            if (Placeholders.IsName(template.Fields[i].Name) && !used.Contains(template.Fields[i].Name))
            {
                v.Add(new($"template.fields[{i}]", ErrorReasons.FieldUnused,
                    $"no placeholder {{{{{template.Fields[i].Name}}}}} or binding uses {template.Fields[i].Name}"));
            }
        }

        if (v.Count > 0)
        {
            return v;
        }

        // The canvas as a render with no merge values would see it.
        var values = template.Fields.ToDictionary(f => f.Name, f => TemplateMerger.DefaultOf(f) ?? FieldValue.Sample(f.Type), StringComparer.Ordinal);
        var filled = TemplateMerger.Fill(template, values, new HashSet<string>(), "template.");
        v.AddRange(filled.Violations);
        v.AddRange(CanvasValidator.Validate(filled.Canvas, filled.Output).Select(f => f with { Field = "template." + f.Field }));
        return v;
    }

    private static Dictionary<string, TemplateField> CheckFields(Template template, List<FieldViolation> v)
    {
        var fields = new Dictionary<string, TemplateField>(StringComparer.Ordinal);
        for (var i = 0; i < template.Fields.Count; i++)
        {
            var field = template.Fields[i];
            var at = $"template.fields[{i}]";
            if (field.Name.Length == 0)
            {
                v.Add(new($"{at}.name", ErrorReasons.FieldRequired, "a field needs a name"));
            }
            else if (!Placeholders.IsName(field.Name))
            {
                v.Add(new($"{at}.name", ErrorReasons.InvalidFieldName, "must be a letter or underscore, then letters, digits or underscores (at most 64)"));
            }
            else if (!fields.TryAdd(field.Name, field))
            {
                v.Add(new($"{at}.name", ErrorReasons.InvalidFieldName, $"{field.Name} is declared twice"));
            }

            if (!System.Enum.IsDefined(field.Type))
            {
                v.Add(new($"{at}.type", ErrorReasons.InvalidEnum, "must be TEXT, URL, COLOR or NUMBER"));
            }
            else if (field.Default is { KindCase: not (Value.KindOneofCase.None or Value.KindOneofCase.NullValue) } d
                && FieldValue.Check(field.Type, d, out var wrong) is null)
            {
                v.Add(wrong! with { Field = $"{at}.default" });
            }

            Length(v, $"{at}.description", field.Description, MaxFieldDescription);
        }

        return fields;
    }

    private static void CheckBindings(Template template, Dictionary<string, TemplateField> fields, HashSet<string> used, List<FieldViolation> v)
    {
        for (var i = 0; i < template.Bindings.Count; i++)
        {
            var binding = template.Bindings[i];
            var at = $"template.bindings[{i}]";
            used.Add(binding.Field);
            if (!fields.TryGetValue(binding.Field, out var field))
            {
                v.Add(new($"{at}.field", ErrorReasons.FieldUndeclared, $"'{binding.Field}' names no field of template.fields"));
            }
            else if (field.Type != TemplateField.Types.Type.Number)
            {
                v.Add(new($"{at}.field", ErrorReasons.UnsupportedCombination, $"{binding.Field} is {field.Type.ToString().ToUpperInvariant()}; only NUMBER fields bind to numeric fields"));
            }

            if (NumericPath.Resolve(template.Canvas, "canvas", binding.Path, out var problem) is null)
            {
                v.Add(new($"{at}.path", ErrorReasons.BindingPathInvalid, problem));
            }
        }
    }

    private static void Length(List<FieldViolation> v, string field, string value, int max)
    {
        if (value.Length > max)
        {
            v.Add(new(field, ErrorReasons.TooLong, $"at most {max} characters"));
        }
    }
}
