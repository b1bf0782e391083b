using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;
using RenderFarm.Embedded;
using RenderFarm.Testing;

namespace RenderFarm.EndToEnd.Tests;

/// <summary>docs/configuration.md names every setting the options classes bind, and nothing else.</summary>
public sealed partial class ConfigurationDocsTests
{
    [Fact]
    public void EverySettingOfEveryOptionsClass_HasARow_InConfigurationDocs()
    {
        var documented = DocumentedKeys();
        var missing = SettingKeys().Where(key => !documented.Any(row => Covers(row, key))).ToList();
        Assert.True(missing.Count == 0, $"docs/configuration.md has no row for: {string.Join(", ", missing)}");
    }

    [Fact]
    public void EveryRowOfConfigurationDocs_NamesASetting()
    {
        var settings = SettingKeys();
        var stale = DocumentedKeys().Where(row => !settings.Any(key => Covers(row, key))).ToList();
        Assert.True(stale.Count == 0, $"docs/configuration.md documents settings no options class has: {string.Join(", ", stale)}");
    }

    // Options classes are the types of the RenderFarm assemblies with a `Section` constant.
    private static List<string> SettingKeys()
    {
        var assemblies = new Dictionary<string, Assembly>();
        var pending = new Stack<Assembly>([typeof(FarmHost).Assembly]);
        while (pending.TryPop(out var assembly))
        {
            if (assemblies.TryAdd(assembly.GetName().Name!, assembly))
            {
                foreach (var name in assembly.GetReferencedAssemblies().Where(n => n.Name!.StartsWith("RenderFarm.", StringComparison.Ordinal)))
                {
                    pending.Push(Assembly.Load(name));
                }
            }
        }

        var keys = new List<string>();
        foreach (var type in assemblies.Values.SelectMany(a => a.GetTypes()))
        {
            if (type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } section)
            {
                AddKeys(keys, (string)section.GetRawConstantValue()!, type);
            }
        }

        Assert.True(keys.Count > 50, $"only {keys.Count} settings found");
        return keys;
    }

    // Nested option objects add their properties under the property's name; lists and dictionaries add
    // a placeholder segment ({}) for the index or name.
    private static void AddKeys(List<string> keys, string prefix, Type type)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod?.IsPublic == true))
        {
            var key = $"{prefix}:{property.Name}";
            var valueType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (valueType != typeof(string) && typeof(IEnumerable).IsAssignableFrom(valueType))
            {
                key += ":{}";
                valueType = valueType.GetGenericArguments()[^1];
            }

            if (valueType.IsClass && valueType.Namespace?.StartsWith("RenderFarm", StringComparison.Ordinal) == true)
            {
                AddKeys(keys, key, valueType);
            }
            else
            {
                keys.Add(key);
            }
        }
    }

    // The rows of the key table: `RenderFarm:A:B` then `RenderFarm__A__B`, with placeholders such as
    // {tenant} or {n} made {}.
    private static List<string> DocumentedKeys()
    {
        var keys = new List<string>();
        foreach (var line in File.ReadLines(Path.Combine(Repo.Root, "docs", "configuration.md")).Where(l => l.StartsWith('|')))
        {
            var columns = line.Split('|');
            if (KeyColumn().Match(columns[1]) is { Success: true } key && EnvironmentColumn().Match(columns[2]) is { Success: true } env)
            {
                Assert.Equal(key.Groups[1].Value.Replace(":", "__", StringComparison.Ordinal), env.Groups[1].Value);
                keys.Add(Placeholder().Replace(key.Groups[1].Value, "{}"));
            }
        }

        Assert.NotEmpty(keys);
        return [.. keys.Distinct()];
    }

    // A row covers a setting when their segments agree; a placeholder in the row stands for any segment.
    private static bool Covers(string row, string key)
    {
        var rows = row.Split(':');
        var keys = key.Split(':');
        return rows.Length == keys.Length && rows.Zip(keys).All(p => p.First == p.Second || p.First == "{}");
    }

    [GeneratedRegex(@"^\s*`(RenderFarm:[^`]+)`\s*$")]
    private static partial Regex KeyColumn();

    [GeneratedRegex(@"^\s*`(RenderFarm__[^`]+)`\s*$")]
    private static partial Regex EnvironmentColumn();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Placeholder();
}
