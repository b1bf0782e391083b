using System.Collections;
using System.Globalization;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace RenderFarm.CanvasModel.Templates;

/// <summary>
/// A path to a numeric field that exists in a message, e.g. <c>canvas.segments[2].duration</c> or
/// <c>canvas.segments[0].text.fontSize</c> (JSON or proto field names; every message on the way,
/// and every indexed element, must be present).
/// </summary>
public sealed partial class NumericPath
{
    private readonly IMessage _owner;
    private readonly FieldDescriptor _field;

    private NumericPath(IMessage owner, FieldDescriptor field) => (_owner, _field) = (owner, field);

    /// <summary>Whether the field holds whole numbers only (int32, int64…).</summary>
    public bool IsInteger => _field.FieldType is not (FieldType.Double or FieldType.Float);

    /// <summary>
    /// Finds the field <paramref name="path"/> names below <paramref name="root"/>, whose own name is
    /// the path's first part; null, with the reason in <paramref name="problem"/>, when there is none.
    /// </summary>
    public static NumericPath? Resolve(IMessage root, string rootName, string path, out string problem)
    {
        var parts = path.Split('.');
        if (parts.Length < 2 || parts[0] != rootName)
        {
            problem = $"must start with '{rootName}.' and name a field in it";
            return null;
        }

        IMessage current = root;
        for (var i = 1; i < parts.Length; i++)
        {
            var step = Step().Match(parts[i]);
            var field = step.Success
                ? current.Descriptor.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == step.Groups[1].Value || f.Name == step.Groups[1].Value)
                : null;
            var where = string.Join('.', parts[..(i + 1)]);
            if (field is null)
            {
                problem = $"'{where}' names no field of {current.Descriptor.Name}";
                return null;
            }

            object? value = field.Accessor.GetValue(current);
            if (step.Groups[2].Success)
            {
                if (!field.IsRepeated || field.IsMap || value is not IList list)
                {
                    problem = $"'{where}': {field.JsonName} is not a list";
                    return null;
                }

                var index = int.Parse(step.Groups[2].Value, CultureInfo.InvariantCulture);
                if (index >= list.Count)
                {
                    problem = $"'{where}': the canvas has {list.Count} {field.JsonName}";
                    return null;
                }

                value = list[index];
            }
            else if (field.IsRepeated)
            {
                problem = $"'{where}' is a list; name one element, e.g. {field.JsonName}[0]";
                return null;
            }

            var last = i == parts.Length - 1;
            if (last)
            {
                if (step.Groups[2].Success || !IsNumeric(field.FieldType))
                {
                    problem = $"'{where}' is not a numeric field";
                    return null;
                }

                problem = "";
                return new NumericPath(current, field);
            }

            if (value is not IMessage next)
            {
                problem = $"'{where}' is {(field.FieldType == FieldType.Message ? "not set in the canvas" : "not a message")}";
                return null;
            }

            current = next;
        }

        problem = "names no field";
        return null;
    }

    /// <summary>Stores <paramref name="value"/>; false when the field cannot hold it (a fraction or out of range for an integer field).</summary>
    public bool TrySet(double value)
    {
        object? converted = _field.FieldType switch
        {
            FieldType.Double => value,
            FieldType.Float => value is >= float.MinValue and <= float.MaxValue ? (float)value : null,
            _ when Math.Floor(value) != value => null,
            FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => value is >= int.MinValue and <= int.MaxValue ? (int)value : null,
            FieldType.UInt32 or FieldType.Fixed32 => value is >= 0 and <= uint.MaxValue ? (uint)value : null,
            FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => value is >= -9.2e18 and <= 9.2e18 ? (long)value : null,
            _ => value is >= 0 and <= 1.8e19 ? (ulong)value : null,
        };
        if (converted is null)
        {
            return false;
        }

        _field.Accessor.SetValue(_owner, converted);
        return true;
    }

    private static bool IsNumeric(FieldType type) => type is FieldType.Double or FieldType.Float
        or FieldType.Int32 or FieldType.Int64 or FieldType.UInt32 or FieldType.UInt64
        or FieldType.SInt32 or FieldType.SInt64 or FieldType.Fixed32 or FieldType.Fixed64
        or FieldType.SFixed32 or FieldType.SFixed64;

    [GeneratedRegex(@"^([A-Za-z_][A-Za-z0-9_]*)(?:\[([0-9]{1,6})\])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Step();
}
