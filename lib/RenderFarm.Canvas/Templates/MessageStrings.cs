using System.Collections;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace RenderFarm.CanvasModel.Templates;

/// <summary>
/// Visits every string of a parsed protobuf message (singular fields, repeated strings, map
/// values, in nested messages) with its JSON path, and may replace it. The message's structure
/// is never touched: only the contents of fields that are already strings change.
/// </summary>
public static class MessageStrings
{
    /// <summary>Calls <paramref name="rewrite"/> with (path, value) for each non-empty string and stores what it returns.</summary>
    public static void Rewrite(IMessage message, string path, Func<string, string, string> rewrite)
    {
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var at = path.Length == 0 ? field.JsonName : $"{path}.{field.JsonName}";
            var value = field.Accessor.GetValue(message);
            if (field.IsMap)
            {
                var map = (IDictionary)value;
                var valueType = field.MessageType.FindFieldByNumber(2).FieldType;
                foreach (var key in map.Keys.Cast<object>().ToList())
                {
                    map[key] = One(valueType, map[key], $"{at}[{key}]", rewrite);
                }
            }
            else if (field.IsRepeated)
            {
                var list = (IList)value;
                for (var i = 0; i < list.Count; i++)
                {
                    list[i] = One(field.FieldType, list[i], $"{at}[{i}]", rewrite);
                }
            }
            else if (field.FieldType is FieldType.String or FieldType.Message && value is not null)
            {
                var next = One(field.FieldType, value, at, rewrite);
                if (!ReferenceEquals(next, value))
                {
                    field.Accessor.SetValue(message, next);
                }
            }
        }
    }

    /// <summary>Every non-empty string of <paramref name="message"/> with its path.</summary>
    public static List<(string Path, string Value)> All(IMessage message, string path)
    {
        var found = new List<(string, string)>();
        Rewrite(message, path, (at, value) =>
        {
            found.Add((at, value));
            return value;
        });
        return found;
    }

    // Returns the same instance when nothing changed, so unchanged fields are not written.
    private static object? One(FieldType type, object? value, string path, Func<string, string, string> rewrite)
    {
        switch (type)
        {
            case FieldType.String when value is string { Length: > 0 } text:
                var next = rewrite(path, text);
                return next == text ? text : next;
            case FieldType.Message when value is IMessage child:
                Rewrite(child, path, rewrite);
                return child;
            default:
                return value;
        }
    }
}
