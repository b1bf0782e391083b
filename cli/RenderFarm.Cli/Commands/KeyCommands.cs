using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;

namespace RenderFarm.Cli.Commands;

/// <summary>keys create | list | revoke (admin key).</summary>
internal static class KeyCommands
{
    public static Command Create() => new("keys", "API keys (admin key)") { CreateKey(), List(), Revoke() };

    private static Command CreateKey()
    {
        var tenant = new Option<string>("--tenant") { Description = "The tenant the key acts for", Required = true };
        var scopes = new Option<string[]>("--scope") { Description = "PLAN, RENDER or ADMIN (repeat for several)", Required = true };
        var name = new Option<string?>("--name") { Description = "A display name" };
        var spend = new Option<double>("--spend-limit") { Description = "Seconds of output it may queue per calendar month (0: no limit)" };
        var command = new Command("create", "Create a key; its raw value is printed once") { tenant, scopes, name, spend };
        command.SetAction((parse, ct) => new CliContext(parse).RunAsync(async (client, token) =>
        {
            var body = new JsonObject
            {
                ["tenant"] = parse.GetValue(tenant),
                ["scopes"] = new JsonArray([.. parse.GetValue(scopes)!.Select(s => (JsonNode?)JsonValue.Create(s.ToUpperInvariant()))]),
            };
            if (parse.GetValue(name) is { } displayName)
            {
                body["displayName"] = displayName;
            }

            if (parse.GetValue(spend) is > 0 and var limit)
            {
                body["spendLimitSeconds"] = limit;
            }

            var created = await client.PostAsync("v1/apiKeys", body, token);
            new CliContext(parse).Print(created, json =>
            {
                var key = json.GetProperty("apiKey");
                Console.Out.WriteLine($"id:     {CliContext.Str(key, "id")}");
                Console.Out.WriteLine($"tenant: {CliContext.Str(key, "tenant")}  scopes: {CliContext.Str(key, "scopes")}");
                Console.Out.WriteLine($"key:    {CliContext.Str(json, "key")}   (shown once: store it now)");
            });
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command List()
    {
        var tenant = new Option<string?>("--tenant") { Description = "Only this tenant's keys" };
        var pageSize = new Option<int>("--page-size") { Description = "Keys per page (default 50)" };
        var pageToken = new Option<string?>("--page-token") { Description = "The nextPageToken of the previous page" };
        var command = new Command("list", "List keys (never their raw values)") { tenant, pageSize, pageToken };
        command.SetAction((parse, ct) => new CliContext(parse).RunAsync(async (client, token) =>
        {
            var query = ProductionCommands.Query(("tenant", parse.GetValue(tenant)), ("pageSize", parse.GetValue(pageSize) is > 0 and var n ? n.ToString(CultureInfo.InvariantCulture) : null), ("pageToken", parse.GetValue(pageToken)));
            var page = await client.GetAsync($"v1/apiKeys{query}", token);
            new CliContext(parse).Print(page, json =>
            {
                CliContext.Table(CliContext.Items(json, "apiKeys"),
                    ("id", k => CliContext.Str(k, "id")),
                    ("tenant", k => CliContext.Str(k, "tenant")),
                    ("scopes", k => string.Join(", ", CliContext.Items(k, "scopes").Select(s => s.ToString()))),
                    ("name", k => CliContext.Str(k, "displayName")),
                    ("created", k => CliContext.Str(k, "createTime")));
                CliContext.NextPage(json);
            });
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command Revoke()
    {
        var id = new Argument<string>("id") { Description = "Key id (not the raw key)" };
        var command = new Command("revoke", "Revoke a key: it is refused from then on") { id };
        command.SetAction((parse, ct) => new CliContext(parse).RunAsync(async (client, token) =>
        {
            var answer = await client.DeleteAsync($"v1/apiKeys/{Uri.EscapeDataString(parse.GetValue(id)!)}", token);
            new CliContext(parse).Print(answer, _ => Console.Out.WriteLine($"revoked {parse.GetValue(id)}"));
            return ExitCodes.Ok;
        }, ct));
        return command;
    }
}
