using System.Runtime.InteropServices;
using RenderFarm.Embedded;

// The embedded default: everything in one process on Garnet and the local disk.
var stop = new TaskCompletionSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });

await using var farm = await FarmHost.StartAsync(args);
Console.WriteLine($"RenderFarm is up: REST {farm.RestUrl}  gRPC {farm.GrpcUrl}  nodes {string.Join(", ", farm.NodeIds)}  data {farm.DataDirectory}");
Console.WriteLine($"Admin API key (tenant default; kept in {Path.Combine(farm.DataDirectory, "secrets.json")}): {farm.AdminKey}");
Console.WriteLine($"  curl -H 'Authorization: Bearer {farm.AdminKey}' {farm.RestUrl}/v1/usage");
await stop.Task;
Console.WriteLine("RenderFarm is stopping: nodes drain first.");
