using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RenderFarm.Cli.Api;

namespace RenderFarm.Cli.Commands;

/// <summary>render, plan, get, list, watch, cancel: productions and plans.</summary>
internal static class ProductionCommands
{
    public static IEnumerable<Command> All() => [Render(), Plan(), Get(), List(), Watch(), Cancel()];

    private static Argument<string> FileArgument() => new("file") { Description = "Canvas JSON: a request body with \"canvas\" (and output, displayName…) or a bare canvas" };

    private static Argument<string> IdArgument() => new("id") { Description = "Production id" };

    private static Command Render()
    {
        var file = FileArgument();
        var output = new Option<string?>("--output", "-o") { Description = "Where to write the result (e.g. out.mp4); without it only the URL is printed" };
        var command = new Command("render", "Submit a canvas, follow its progress and download the result") { file, output };
        command.SetAction((parse, ct) => new CliContext(parse).RunAsync(async (client, token) =>
        {
            var request = CanvasFile.ReadRequest(parse.GetValue(file)!);
            var production = await client.PostAsync("v1/productions", request, token);
            var id = CliContext.Str(production, "id");
            if (!parse.GetValue(CliContext.Json))
            {
                Console.Error.WriteLine($"created {id}");
            }

            return await ProductionRun.FollowAsync(new CliContext(parse), client, id, parse.GetValue(output), token);
        }, ct));
        return command;
    }

    private static Command Plan()
    {
        var file = FileArgument();
        var skip = new Option<bool>("--skip-previews") { Description = "Render no preview stills" };
        var noWait = new Option<bool>("--no-wait") { Description = "Do not wait (up to 60 s) for the preview stills' URLs" };
        var command = new Command("plan", "Plan a canvas: warnings, timing, estimate and preview stills, without rendering") { file, skip, noWait };
        command.SetAction((parse, ct) => new CliContext(parse).RunAsync(async (client, token) =>
        {
            var request = CanvasFile.ReadPlanRequest(parse.GetValue(file)!);
            if (parse.GetValue(skip))
            {
                request["skipPreviews"] = true;
            }

            var plan = await client.PostAsync("v1/plans", request, token);
            // Stills render on a node after the plan answers; GET /v1/plans/{id} has their URLs when READY.
            var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
            while (!parse.GetValue(noWait) && PreviewState(plan) == "PENDING" && DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), token);
                plan = await client.GetAsync($"v1/plans/{Uri.EscapeDataString(CliContext.Str(plan, "id"))}", token);
            }

            new CliContext(parse).Print(plan, PrintPlan);
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static string PreviewState(JsonElement plan) =>
        plan.TryGetProperty("preview", out var preview) ? CliContext.Str(preview, "state") : "";

    private static void PrintPlan(JsonElement plan)
    {
        Console.Out.WriteLine($"plan {CliContext.Str(plan, "id")}");
        var estimate = plan.TryGetProperty("estimate", out var e) ? e : default;
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"estimate: {CliContext.Num(estimate, "duration"):0.##} s of video, {CliContext.Str(estimate, "frames")} frames, about {CliContext.Num(estimate, "renderSeconds"):0.#} s to render, {CliContext.Num(estimate, "costUnits"):0.##} cost units{(CliContext.Str(estimate, "approximate") == "true" ? " (approximate)" : "")}"));
        var warnings = CliContext.Items(plan, "warnings").ToList();
        Console.Out.WriteLine(warnings.Count == 0 ? "warnings: none" : $"warnings ({warnings.Count}):");
        foreach (var w in warnings)
        {
            Console.Out.WriteLine($"  {CliContext.Str(w, "code")} at {CliContext.Str(w, "path")}: {CliContext.Str(w, "message")}");
        }

        var preview = plan.TryGetProperty("preview", out var p) ? p : default;
        Console.Out.WriteLine($"previews: {CliContext.Str(preview, "state")} {CliContext.Str(preview, "errorCode")} {CliContext.Str(preview, "errorMessage")}".TrimEnd());
        foreach (var frame in CliContext.Items(preview, "frames"))
        {
            var url = CliContext.Str(frame, "url");
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {CliContext.Num(frame, "time"):0.###} s  {(url.Length > 0 ? url : "(not ready)")}"));
        }
    }

    private static Command Get()
    {
        var id = IdArgument();
        var command = new Command("get", "Show a production") { id };
        command.SetAction((parse, ct) => new CliContext(parse).RunAsync(async (client, token) =>
        {
            var production = await client.GetAsync($"v1/productions/{Uri.EscapeDataString(parse.GetValue(id)!)}", token);
            new CliContext(parse).Print(production, PrintProduction);
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static void PrintProduction(JsonElement p)
    {
        Console.Out.WriteLine($"id:       {CliContext.Str(p, "id")}");
        Console.Out.WriteLine($"name:     {CliContext.Str(p, "displayName")}");
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"state:    {CliContext.Str(p, "state")} {CliContext.Num(p, "progress") * 100:0}% {CliContext.Str(p, "stage")}"));
        Console.Out.WriteLine($"created:  {CliContext.Str(p, "createTime")}");
        if (p.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.Object)
        {
            Console.Out.WriteLine($"result:   {CliContext.Str(result, "url")}");
        }

        if (p.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            Console.Out.WriteLine($"error:    {CliContext.Str(error, "code")}: {CliContext.Str(error, "message")}");
        }
    }

    private static Command List()
    {
        var state = new Option<string?>("--state") { Description = "Only productions in this state (QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED)" };
        var pageSize = new Option<int>("--page-size") { Description = "Productions per page (default 50)" };
        var pageToken = new Option<string?>("--page-token") { Description = "The nextPageToken of the previous page" };
        var command = new Command("list", "List productions, newest first") { state, pageSize, pageToken };
        command.SetAction((parse, ct) => new CliContext(parse).RunAsync(async (client, token) =>
        {
            var query = Query(("state", parse.GetValue(state)?.ToUpperInvariant()), ("pageSize", parse.GetValue(pageSize) is > 0 and var n ? n.ToString(CultureInfo.InvariantCulture) : null), ("pageToken", parse.GetValue(pageToken)));
            var page = await client.GetAsync($"v1/productions{query}", token);
            new CliContext(parse).Print(page, json =>
            {
                CliContext.Table(CliContext.Items(json, "productions"),
                    ("id", p => CliContext.Str(p, "id")),
                    ("name", p => CliContext.Str(p, "displayName")),
                    ("state", p => CliContext.Str(p, "state")),
                    ("progress", p => string.Create(CultureInfo.InvariantCulture, $"{CliContext.Num(p, "progress") * 100:0}%")),
                    ("stage", p => CliContext.Str(p, "stage")),
                    ("created", p => CliContext.Str(p, "createTime")));
                CliContext.NextPage(json);
            });
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command Watch()
    {
        var id = IdArgument();
        var output = new Option<string?>("--output", "-o") { Description = "Download the result here when it succeeds" };
        var command = new Command("watch", "Follow a production's progress until it ends (exit 0 only on SUCCEEDED)") { id, output };
        command.SetAction((parse, ct) => new CliContext(parse).RunAsync(
            (client, token) => ProductionRun.FollowAsync(new CliContext(parse), client, parse.GetValue(id)!, parse.GetValue(output), token), ct));
        return command;
    }

    private static Command Cancel()
    {
        var id = IdArgument();
        var command = new Command("cancel", "Cancel a queued or running production") { id };
        command.SetAction((parse, ct) => new CliContext(parse).RunAsync(async (client, token) =>
        {
            var production = await client.PostAsync($"v1/productions/{Uri.EscapeDataString(parse.GetValue(id)!)}:cancel", new JsonObject(), token);
            new CliContext(parse).Print(production, p => Console.Out.WriteLine($"{CliContext.Str(p, "id")} {CliContext.Str(p, "state")}"));
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    /// <summary>"?a=1&amp;b=2" of the pairs that have a value, or "".</summary>
    public static string Query(params (string Name, string? Value)[] pairs)
    {
        var set = pairs.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return set.Count == 0 ? "" : "?" + string.Join('&', set);
    }
}
