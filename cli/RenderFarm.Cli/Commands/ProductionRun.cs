using System.Text.Json;
using System.Text.Json.Nodes;
using RenderFarm.Cli.Api;
using Spectre.Console;

namespace RenderFarm.Cli.Commands;

/// <summary>
/// Following a production to its end with a live progress bar (state, stage, percent, ETA), asking
/// on Ctrl+C whether to cancel it, then downloading its output. Shared by render, templates render
/// and watch.
/// </summary>
internal static class ProductionRun
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>Follows <paramref name="id"/>, downloads to <paramref name="output"/> (when given) on success; exit 0 only on SUCCEEDED.</summary>
    public static async Task<int> FollowAsync(CliContext cli, FarmClient client, string id, string? output, CancellationToken ct)
    {
        using var interrupts = new Interrupts();
        JsonElement final;
        while (true)
        {
            using var wait = interrupts.Arm(ct);
            try
            {
                final = await WatchAsync(cli, client, id, wait.Token);
                break;
            }
            catch (OperationCanceledException) when (interrupts.Fired && !ct.IsCancellationRequested)
            {
                Console.Error.Write($"Cancel production {id}? [y/N] ");
                var answer = Console.In.ReadLine();
                if (answer is null)
                {
                    Console.Error.WriteLine($"\nleft running; follow it with: renderfarm watch {id}");
                    return ExitCodes.Interrupted;
                }

                if (answer.Trim().StartsWith('y') || answer.Trim().StartsWith('Y'))
                {
                    await client.PostAsync($"v1/productions/{Uri.EscapeDataString(id)}:cancel", new JsonObject(), ct);
                    Console.Error.WriteLine($"cancelled {id}");
                }
            }
        }

        if (cli.JsonOutput)
        {
            CliContext.WriteJson(final);
        }

        var state = CliContext.Str(final, "state");
        if (state != "SUCCEEDED")
        {
            var error = final.TryGetProperty("error", out var e) ? e : default;
            var why = error.ValueKind == JsonValueKind.Object ? $": {CliContext.Str(error, "code")}: {CliContext.Str(error, "message")}" : "";
            Console.Error.WriteLine($"production {id} {state}{why}");
            return ExitCodes.ProductionFailed;
        }

        if (output is not null)
        {
            var url = final.TryGetProperty("result", out var result) ? CliContext.Str(result, "url") : "";
            if (url.Length == 0)
            {
                throw new CliException(ExitCodes.ProductionFailed, $"production {id} succeeded but has no download URL (its output may have expired)");
            }

            await DownloadAsync(cli, client, url, output, ct);
            if (!cli.JsonOutput)
            {
                Console.Out.WriteLine($"{id} SUCCEEDED: wrote {output} ({new FileInfo(output).Length} bytes)");
            }
        }
        else if (!cli.JsonOutput)
        {
            Console.Out.WriteLine($"{id} SUCCEEDED" + (final.TryGetProperty("result", out var r) ? $": {CliContext.Str(r, "url")}" : ""));
        }

        return ExitCodes.Ok;
    }

    private static async Task<JsonElement> WatchAsync(CliContext cli, FarmClient client, string id, CancellationToken ct)
    {
        var follower = new ProductionFollower(client, PollInterval, notice => Console.Error.WriteLine($"note: {notice}"));
        if (cli.JsonOutput)
        {
            return await follower.FollowAsync(id, _ => { }, ct);
        }

        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            // Logs and pipes: one line per state or stage change on stderr, no redraws.
            var seen = "";
            return await follower.FollowAsync(id, p =>
            {
                var line = $"{CliContext.Str(p, "state")} {CliContext.Str(p, "stage")}".Trim();
                if (line != seen)
                {
                    seen = line;
                    Console.Error.WriteLine($"{id}: {line} {CliContext.Num(p, "progress") * 100:0}%");
                }
            }, ct);
        }

        return await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(Markup.Escape(id), maxValue: 100);
                var final = await follower.FollowAsync(id, p =>
                {
                    task.Description = Markup.Escape($"{CliContext.Str(p, "state")} {CliContext.Str(p, "stage")}".Trim());
                    task.Value = CliContext.Num(p, "progress") * 100;
                }, ct);
                if (CliContext.Str(final, "state") == "SUCCEEDED")
                {
                    task.Value = 100;
                }

                task.StopTask();
                return final;
            });
    }

    private static async Task DownloadAsync(CliContext cli, FarmClient client, string url, string output, CancellationToken ct)
    {
        if (cli.JsonOutput || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            await client.DownloadAsync(url, output, (_, _) => { }, ct);
            return;
        }

        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new DownloadedColumn(), new TransferSpeedColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(Markup.Escape($"download {Path.GetFileName(output)}"), maxValue: 1);
                await client.DownloadAsync(url, output, (done, total) =>
                {
                    task.MaxValue = total ?? Math.Max(done, 1);
                    task.Value = done;
                }, ct);
                task.StopTask();
            });
    }
}
