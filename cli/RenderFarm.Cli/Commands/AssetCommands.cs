using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using RenderFarm.Cli.Api;
using Spectre.Console;

namespace RenderFarm.Cli.Commands;

/// <summary>assets upload FILE: create the asset, then PUT its bytes to the presigned URL.</summary>
internal static class AssetCommands
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".mp4"] = "video/mp4", [".mov"] = "video/quicktime", [".webm"] = "video/webm", [".mkv"] = "video/x-matroska",
        [".mp3"] = "audio/mpeg", [".wav"] = "audio/wav", [".ogg"] = "audio/ogg", [".m4a"] = "audio/mp4",
        [".png"] = "image/png", [".jpg"] = "image/jpeg", [".jpeg"] = "image/jpeg", [".webp"] = "image/webp", [".gif"] = "image/gif",
        [".ttf"] = "font/ttf", [".otf"] = "font/otf",
    };

    public static Command Create() => new("assets", "Media stored in the farm, used in canvases as asset://{id}") { Upload() };

    private static Command Upload()
    {
        var file = new Argument<string>("file") { Description = "The file to upload" };
        var type = new Option<string?>("--content-type") { Description = "Its media type (default: from the extension)" };
        var command = new Command("upload", "Upload a file as an asset and print its asset:// reference") { file, type };
        command.SetAction((parse, ct) => new CliContext(parse).RunAsync(async (client, token) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw new UsageException($"no such file: {path}");
            }

            var contentType = parse.GetValue(type) ?? (ContentTypes.TryGetValue(Path.GetExtension(path), out var known) ? known
                : throw new UsageException($"cannot tell the media type of {path}: pass --content-type"));
            var size = new FileInfo(path).Length;
            var asset = await client.PostAsync("v1/assets", new JsonObject
            {
                ["contentType"] = contentType,
                ["sizeBytes"] = size,
                ["displayName"] = Path.GetFileName(path),
            }, token);
            var cli = new CliContext(parse);
            await PutAsync(cli, client, asset, path, contentType, size, token);
            cli.Print(asset, a => Console.Out.WriteLine($"asset://{CliContext.Str(a, "id")}  ({size} bytes, {contentType})"));
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static async Task PutAsync(CliContext cli, FarmClient client, JsonElement asset, string path, string contentType, long size, CancellationToken ct)
    {
        var url = CliContext.Str(asset, "uploadUrl");
        if (cli.JsonOutput || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            await client.UploadAsync(url, path, contentType, _ => { }, ct);
            return;
        }

        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(Markup.Escape($"upload {Path.GetFileName(path)}"), maxValue: Math.Max(size, 1));
                await client.UploadAsync(url, path, contentType, sent => task.Value = sent, ct);
                task.StopTask();
            });
    }
}
