using System.CommandLine;
using System.Text.Json;
using RenderFarm.Cli.Api;
using Spectre.Console;

namespace RenderFarm.Cli;

/// <summary>The options every command takes (--url, --api-key, --json) and the output helpers they share.</summary>
internal sealed class CliContext(ParseResult parse)
{
    public static readonly Option<string?> Url = new("--url")
    {
        Description = "The farm's REST address (default: RENDERFARM_URL, else http://127.0.0.1:8080)",
        Recursive = true,
    };

    public static readonly Option<string?> ApiKey = new("--api-key")
    {
        Description = "API key rf_… (default: RENDERFARM_API_KEY)",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print the API's JSON answer instead of tables and progress (for scripts)",
        Recursive = true,
    };

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public bool JsonOutput { get; } = parse.GetValue(Json);

    public FarmClient Connect() => new(
        parse.GetValue(Url) ?? Env("RENDERFARM_URL") ?? "http://127.0.0.1:8080",
        parse.GetValue(ApiKey) ?? Env("RENDERFARM_API_KEY"));

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    /// <summary>Prints JSON to stdout as the API sent it (indented).</summary>
    public static void WriteJson(JsonElement json) => Console.Out.WriteLine(JsonSerializer.Serialize(json, Indented));

    /// <summary>Prints the answer as JSON under --json, else as <paramref name="human"/> renders it.</summary>
    public void Print(JsonElement json, Action<JsonElement> human)
    {
        if (JsonOutput)
        {
            WriteJson(json);
        }
        else
        {
            human(json);
        }
    }

    /// <summary>Runs a command body, turning every CLI failure into its message on stderr and its exit code.</summary>
    public async Task<int> RunAsync(Func<FarmClient, CancellationToken, Task<int>> body, CancellationToken ct)
    {
        try
        {
            using var client = Connect();
            return await body(client, ct);
        }
        catch (ApiError e) when (JsonOutput)
        {
            Console.Out.WriteLine(e.Body);
            Console.Error.WriteLine($"error: {e.Message}");
            return e.ExitCode;
        }
        catch (CliException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return e.ExitCode;
        }
    }

    /// <summary>Text of a string property, or "" when absent.</summary>
    public static string Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v)
            ? v.ValueKind == JsonValueKind.String ? v.GetString()! : v.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? "" : v.GetRawText()
            : "";

    /// <summary>An array property's items, or none.</summary>
    public static IEnumerable<JsonElement> Items(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? v.EnumerateArray() : [];

    public static double Num(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : 0;

    /// <summary>A table of rows from <paramref name="items"/>, one column per (header, value) pair.</summary>
    public static void Table(IEnumerable<JsonElement> items, params (string Header, Func<JsonElement, string> Value)[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var (header, _) in columns)
        {
            table.AddColumn(header);
        }

        foreach (var item in items)
        {
            table.AddRow(columns.Select(c => Markup.Escape(c.Value(item))).ToArray());
        }

        AnsiConsole.Write(table);
    }

    /// <summary>Prints "next page: --page-token …" when a list has more.</summary>
    public static void NextPage(JsonElement page)
    {
        if (Str(page, "nextPageToken") is { Length: > 0 } token)
        {
            Console.Out.WriteLine($"more: --page-token {token}");
        }
    }
}
