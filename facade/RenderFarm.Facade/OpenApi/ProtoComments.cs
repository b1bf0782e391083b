using System.Reflection;
using System.Text.RegularExpressions;

namespace RenderFarm.Facade.OpenApi;

/// <summary>
/// The comments above each field of the contract's .proto files (embedded in this assembly), by the
/// field's full name (<c>renderfarm.v1.Layer.x</c>): the generated descriptors carry no comments, and
/// the OpenAPI document describes each field with its own. Nested messages, oneofs and enums are
/// followed; a comment is the run of <c>//</c> lines right above the field.
/// </summary>
internal static partial class ProtoComments
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> All = new(Read);

    /// <summary>The comment of the field named <paramref name="fullName"/>, or null.</summary>
    public static string? Of(string fullName) => All.Value.GetValueOrDefault(fullName);

    private static Dictionary<string, string> Read()
    {
        var comments = new Dictionary<string, string>(StringComparer.Ordinal);
        var assembly = typeof(ProtoComments).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.EndsWith(".proto", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            Parse(reader.ReadToEnd(), comments);
        }
        return comments;
    }

    internal static void Parse(string proto, Dictionary<string, string> comments)
    {
        var package = "";
        var scopes = new Stack<(string Kind, string Name)>();
        var pending = new List<string>();
        foreach (var raw in proto.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("//", StringComparison.Ordinal))
            {
                pending.Add(line[2..].Trim());
                continue;
            }
            if (Package().Match(line) is { Success: true } p)
            {
                package = p.Groups[1].Value;
            }
            else if (Block().Match(line) is { Success: true } b)
            {
                scopes.Push((b.Groups[1].Value, b.Groups[2].Value));
            }
            else if (Field().Match(line) is { Success: true } f && pending.Count > 0
                && scopes.TryPeek(out var scope) && scope.Kind is "message" or "oneof")
            {
                var message = string.Join('.', scopes.Where(s => s.Kind == "message").Select(s => s.Name).Reverse());
                comments[$"{package}.{message}.{f.Groups[1].Value}"] = string.Join(' ', pending);
            }
            if (line.StartsWith('}') && scopes.Count > 0)
            {
                scopes.Pop();
            }
            pending.Clear();
        }
    }

    [GeneratedRegex(@"^package\s+([\w.]+)\s*;")]
    private static partial Regex Package();

    [GeneratedRegex(@"^(message|oneof|enum|service)\s+(\w+)\s*\{")]
    private static partial Regex Block();

    [GeneratedRegex(@"^(?:optional\s+|repeated\s+)?(?:map\s*<[^>]+>|[\w.]+)\s+(\w+)\s*=\s*\d+")]
    private static partial Regex Field();
}
