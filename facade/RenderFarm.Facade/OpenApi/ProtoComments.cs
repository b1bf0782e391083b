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

    /// <summary>
    /// The comment of the field, RPC or service named <paramref name="fullName"/>
    /// (<c>renderfarm.v1.Layer.x</c>, <c>renderfarm.v1.PlanService.CreatePlan</c>, <c>renderfarm.v1.PlanService</c>), or null.
    /// </summary>
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

            var comment = string.Join(' ', pending);
            scopes.TryPeek(out var scope);
            if (Package().Match(line) is { Success: true } p)
            {
                package = p.Groups[1].Value;
            }
            else if (Rpc().Match(line) is { Success: true } r && scope.Kind == "service" && pending.Count > 0)
            {
                comments[$"{package}.{scope.Name}.{r.Groups[1].Value}"] = comment;
            }
            else if (Field().Match(line) is { Success: true } f && pending.Count > 0 && scope.Kind is "message" or "oneof")
            {
                var message = string.Join('.', scopes.Where(s => s.Kind == "message").Select(s => s.Name).Reverse());
                comments[$"{package}.{message}.{f.Groups[1].Value}"] = comment;
            }

            // Every block opened on a line (message, oneof, enum, service, an rpc's options, an
            // option's value) is a scope until the line that closes it; "{}" on one line is none.
            if (line.EndsWith('{'))
            {
                var block = Block().Match(line);
                var (kind, name) = block.Success ? (block.Groups[1].Value, block.Groups[2].Value) : ("block", "");
                if (kind == "service" && pending.Count > 0)
                {
                    comments[$"{package}.{name}"] = comment;
                }

                scopes.Push((kind, name));
            }
            else if (line.StartsWith('}') && scopes.Count > 0)
            {
                scopes.Pop();
            }

            pending.Clear();
        }
    }

    [GeneratedRegex(@"^package\s+([\w.]+)\s*;")]
    private static partial Regex Package();

    [GeneratedRegex(@"^(message|oneof|enum|service|rpc)\s+(\w+)")]
    private static partial Regex Block();

    [GeneratedRegex(@"^rpc\s+(\w+)\s*\(")]
    private static partial Regex Rpc();

    [GeneratedRegex(@"^(?:optional\s+|repeated\s+)?(?:map\s*<[^>]+>|[\w.]+)\s+(\w+)\s*=\s*\d+")]
    private static partial Regex Field();
}
