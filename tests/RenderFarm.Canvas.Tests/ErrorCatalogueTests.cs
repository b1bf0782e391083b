using System.Reflection;
using System.Text.RegularExpressions;
using RenderFarm.Contracts;

namespace RenderFarm.CanvasModel.Tests;

/// <summary>
/// Holds the reason catalogue (<see cref="ErrorReasons"/>, <see cref="PlanWarnings"/>), docs/errors.md
/// and the source tree together: every reason is documented once, and code names reasons only
/// through the catalogue.
/// </summary>
public sealed partial class ErrorCatalogueTests
{
    private const string WarningsHeading = "## Plan warnings";

    // Source folders that ship (tests may spell reasons out: they assert the wire values).
    private static readonly string[] SourceFolders = ["protos", "lib", "node", "facade", "coordinator", "embedded", "bench"];

    private static readonly string[] CatalogueFiles = ["ErrorReasons.cs", "PlanWarnings.cs"];

    // UPPER_SNAKE literals in source that are not reasons (none today); say why when adding one.
    private static readonly HashSet<string> NotReasons = [];

    private static readonly string Root = FindRoot();

    [Fact]
    public void Catalogue_values_are_upper_snake_and_unique()
    {
        var all = Reasons(typeof(ErrorReasons)).Concat(Reasons(typeof(PlanWarnings))).ToList();

        Assert.All(all, r => Assert.Matches(UpperSnake(), r));
        Assert.Empty(all.GroupBy(r => r).Where(g => g.Count() > 1).Select(g => g.Key));
    }

    [Fact]
    public void Docs_list_every_error_reason_once()
    {
        var (errors, _) = DocumentedReasons();

        AssertSameOnce(Reasons(typeof(ErrorReasons)), errors);
    }

    [Fact]
    public void Docs_list_every_plan_warning_once()
    {
        var (_, warnings) = DocumentedReasons();

        AssertSameOnce(Reasons(typeof(PlanWarnings)), warnings);
    }

    [Fact]
    public void Source_names_reasons_only_through_the_catalogue()
    {
        var catalogue = Reasons(typeof(ErrorReasons)).Concat(Reasons(typeof(PlanWarnings))).ToHashSet();
        var offenders = SourceFiles("*.cs")
            .Where(f => !CatalogueFiles.Contains(Path.GetFileName(f)))
            .SelectMany(f => QuotedUpperSnake().Matches(File.ReadAllText(f))
                .Select(m => m.Groups[1].Value)
                .Where(literal => !NotReasons.Contains(literal))
                .Select(literal => catalogue.Contains(literal)
                    ? $"{Relative(f)}: \"{literal}\" (use the ErrorReasons/PlanWarnings constant)"
                    : $"{Relative(f)}: \"{literal}\" (not in the catalogue: add it to ErrorReasons and docs/errors.md)"))
            .ToList();

        Assert.True(offenders.Count == 0, string.Join('\n', offenders));
    }

    [Fact]
    public void Lua_scripts_return_only_catalogue_reasons()
    {
        var catalogue = Reasons(typeof(ErrorReasons)).ToHashSet();
        var unknown = SourceFiles("*.lua")
            .SelectMany(f => LuaUpperSnake().Matches(File.ReadAllText(f))
                .Select(m => m.Groups[1].Value)
                .Where(literal => !catalogue.Contains(literal))
                .Select(literal => $"{Relative(f)}: '{literal}'"))
            .ToList();

        Assert.True(unknown.Count == 0, "not in ErrorReasons:\n" + string.Join('\n', unknown));
    }

    private static void AssertSameOnce(List<string> catalogue, List<string> documented)
    {
        Assert.Empty(documented.GroupBy(r => r).Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.Empty(catalogue.Except(documented));
        Assert.Empty(documented.Except(catalogue));
    }

    private static List<string> Reasons(Type catalogue) =>
        [.. catalogue.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f is { IsLiteral: true } && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)];

    // The first cell of every table row, split at the plan warnings heading.
    private static (List<string> Errors, List<string> Warnings) DocumentedReasons()
    {
        var text = File.ReadAllText(Path.Combine(Root, "docs", "errors.md"));
        var split = text.IndexOf(WarningsHeading, StringComparison.Ordinal);
        Assert.True(split >= 0, $"docs/errors.md has no '{WarningsHeading}' section");
        List<string> Rows(string part) => [.. DocRow().Matches(part).Select(m => m.Groups[1].Value)];
        return (Rows(text[..split]), Rows(text[split..]));
    }

    private static IEnumerable<string> SourceFiles(string pattern) =>
        SourceFolders
            .Select(folder => Path.Combine(Root, folder))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, pattern, SearchOption.AllDirectories))
            .Where(f => !Relative(f).Split('/').Any(part => part is "obj" or "bin"));

    private static string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RenderFarm.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("RenderFarm.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$")]
    private static partial Regex UpperSnake();

    [GeneratedRegex("\"([A-Z][A-Z0-9]+(?:_[A-Z0-9]+)+)\"")]
    private static partial Regex QuotedUpperSnake();

    [GeneratedRegex("'([A-Z][A-Z0-9]+(?:_[A-Z0-9]+)+)'")]
    private static partial Regex LuaUpperSnake();

    [GeneratedRegex(@"^\| `([A-Z][A-Z0-9_]*)` \|", RegexOptions.Multiline)]
    private static partial Regex DocRow();
}
