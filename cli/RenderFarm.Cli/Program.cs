using System.CommandLine;
using RenderFarm.Cli;
using RenderFarm.Cli.Commands;

var root = new RootCommand("renderfarm: render videos on a RenderFarm from the terminal (docs/cli.md)")
{
    CliContext.Url,
    CliContext.ApiKey,
    CliContext.Json,
};
foreach (var command in ProductionCommands.All())
{
    root.Subcommands.Add(command);
}

root.Subcommands.Add(TemplateCommands.Create());
root.Subcommands.Add(AssetCommands.Create());
root.Subcommands.Add(NodeCommands.Create());
root.Subcommands.Add(KeyCommands.Create());

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
    {
        Console.Error.WriteLine($"error: {error.Message}");
    }

    Console.Error.WriteLine("see: renderfarm --help");
    return ExitCodes.Usage;
}

// Ctrl+C is the commands' to handle (render asks whether to cancel the production).
return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
