using RenderFarm.Node;

// With a metrics port the node serves /healthz and /metrics; without one it is a plain worker.
if (new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build()
        .GetSection(NodeOptions.Section).Get<NodeOptions>() is not { MetricsPort: <= 0 })
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddNodeHost();
    var app = builder.Build();
    app.MapNode();
    app.Run();
}
else
{
    var builder = Host.CreateApplicationBuilder(args);
    builder.Services.AddNode();
    builder.Build().Run();
}
