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
                ("running", n => CliContext.Items(n, "leases").Count().ToString(CultureInfo.InvariantCulture)),
                ("capabilities", n => CliContext.Str(n, "capabilities")),
                ("heartbeat", n => CliContext.Str(n, "heartbeatTime"))));
            return ExitCodes.Ok;
        }, ct));
        return command;
    }
}
