using System.CommandLine;
using System.Globalization;

namespace RenderFarm.Cli.Commands;

/// <summary>nodes: the render nodes connected to the farm (admin scope).</summary>
internal static class NodeCommands
{
    public static Command Create()
    {
        var command = new Command("nodes", "List the render nodes: state, slots, running jobs, capabilities (admin key)");
        command.SetAction((parse, ct) => new CliContext(parse).RunAsync(async (client, token) =>
        {
            var page = await client.GetAsync("v1/nodes?pageSize=1000", token);
            new CliContext(parse).Print(page, json => CliContext.Table(CliContext.Items(json, "nodes"),
                ("id", n => CliContext.Str(n, "id")),
                ("state", n => CliContext.Str(n, "state")),
                ("slots", n => CliContext.Str(n, "slots")),
                ("running", n => CliContext.Items(n, "runningLeases").Count().ToString(CultureInfo.InvariantCulture)),
                ("capabilities", n => Capabilities(n)),
                ("heartbeat", n => CliContext.Str(n, "lastHeartbeatTime"))));
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    /// <summary>"8 cores, 2 GPUs, libx264 h264_nvenc".</summary>
    private static string Capabilities(System.Text.Json.JsonElement node)
    {
        if (!node.TryGetProperty("capabilities", out var c))
        {
            return "";
        }

        var gpus = CliContext.Items(c, "gpus").Count();
        var encoders = string.Join(' ', CliContext.Items(c, "encoders").Select(e => e.GetString()));
        return $"{CliContext.Num(c, "cpuCores"):0} cores, {gpus} GPU{(gpus == 1 ? "" : "s")}, {encoders}";
    }
}
