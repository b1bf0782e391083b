using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using RenderFarm.Cli.Api;

namespace RenderFarm.Cli.Commands;

/// <summary>templates list | render ID --set NAME=value.</summary>
internal static class TemplateCommands
{
    public static Command Create() => new("templates", "Saved templates: list them, render one with merge values") { List(), Render() };

    private static Command List()
    {
        var pageSize = new Option<int>("--page-size") { Description = "Templates per page (default 50)" };
        var pageToken = new Option<string?>("--page-token") { Description = "The nextPageToken of the previous page" };
        var command = new Command("list", "List templates, newest first") { pageSize, pageToken };
        command.SetAction((parse, ct) => new CliContext(parse).RunAsync(async (client, token) =>
        {
            var query = ProductionCommands.Query(("pageSize", parse.GetValue(pageSize) is > 0 and var n ? n.ToString(CultureInfo.InvariantCulture) : null), ("pageToken", parse.GetValue(pageToken)));
            var page = await client.GetAsync($"v1/templates{query}", token);
            new CliContext(parse).Print(page, json =>
            {
                CliContext.Table(CliContext.Items(json, "templates"),
                    ("id", t => CliContext.Str(t, "id")),
                    ("name", t => CliContext.Str(t, "displayName")),
                    ("fields", t => string.Join(", ", CliContext.Items(t, "fields").Select(f => $"{CliContext.Str(f, "name")}:{(CliContext.Str(f, "type") is { Length: > 0 } type ? type : "TEXT")}"))),
                    ("description", t => CliContext.Str(t, "description")));
                CliContext.NextPage(json);
            });
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command Render()
    {
        var id = new Argument<string>("id") { Description = "Template id" };
        var set = new Option<string[]>("--set") { Description = "A merge value NAME=value (repeat for each field)", AllowMultipleArgumentsPerToken = false };
        var output = new Option<string?>("--output", "-o") { Description = "Follow the production and download the result here" };
        var name = new Option<string?>("--display-name") { Description = "The production's display name" };
        var command = new Command("render", "Fill a template with merge values and render it") { id, set, output, name };
        command.SetAction((parse, ct) => new CliContext(parse).RunAsync(async (client, token) =>
        {
            var merge = new JsonObject();
            foreach (var pair in parse.GetValue(set) ?? [])
            {
                var cut = pair.IndexOf('=', StringComparison.Ordinal);
                if (cut <= 0)
                {
                    throw new UsageException($"--set takes NAME=value, not '{pair}'");
                }

                merge[pair[..cut]] = pair[(cut + 1)..];
            }

            var body = new JsonObject { ["merge"] = merge };
            if (parse.GetValue(name) is { } displayName)
            {
                body["displayName"] = displayName;
            }

            var production = await client.PostAsync($"v1/templates/{Uri.EscapeDataString(parse.GetValue(id)!)}:render", body, token);
            var cli = new CliContext(parse);
            if (parse.GetValue(output) is { } path)
            {
                Console.Error.WriteLine($"created {CliContext.Str(production, "id")}");
                return await ProductionRun.FollowAsync(cli, client, CliContext.Str(production, "id"), path, token);
            }

            cli.Print(production, p => Console.Out.WriteLine($"{CliContext.Str(p, "id")} {CliContext.Str(p, "state")}"));
            return ExitCodes.Ok;
        }, ct));
        return command;
    }
}
