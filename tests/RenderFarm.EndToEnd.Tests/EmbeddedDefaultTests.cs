using RenderFarm.Embedded;
using RenderFarm.Testing;

namespace RenderFarm.EndToEnd.Tests;

/// <summary>The embedded default: in-process Garnet with its data directory, nothing configured but ports.</summary>
public sealed class EmbeddedDefaultTests
{
    [Fact]
    public async Task Restart_KeepsQueuedWork_AndRendersItAfterwards()
    {
        var data = Directory.CreateTempSubdirectory("rf-embedded-").FullName;
        var settings = new Dictionary<string, string?>
        {
            ["RenderFarm:Embedded:DataDirectory"] = data,
            ["RenderFarm:Embedded:Nodes"] = "0",
            ["RenderFarm:Facade:RestPort"] = "0",
            ["RenderFarm:Facade:GrpcPort"] = "0",
            ["RenderFarm:Coordinator:Port"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        string id;
        await using (var first = await FarmHost.StartAsync([], settings))
        {
            using var http = new HttpClient { BaseAddress = new Uri(first.RestUrl) };
            var json = Rest.Json(new { canvas = new { width = 128, height = 96, segments = new object[] { new { color = new { color = "#00FFFF" }, duration = 1 } } } });
            id = (await Rest.CreateAsync(http, json))["id"]!.GetValue<string>();
            Assert.Equal("QUEUED", (await Rest.GetAsync(http, id))["state"]!.GetValue<string>());
        }

        settings["RenderFarm:Embedded:Nodes"] = "1";
        await using (var second = await FarmHost.StartAsync([], settings))
        {
            using var http = new HttpClient { BaseAddress = new Uri(second.RestUrl) };
            var events = await Rest.ReadEventsAsync(http, id);
            var done = events[^1].Data["production"]!;
            Assert.Equal("SUCCEEDED", done["state"]!.GetValue<string>());
            using var file = await http.GetAsync(done["result"]!["url"]!.GetValue<string>());
            var path = Path.Combine(data, "out.mp4");
            await File.WriteAllBytesAsync(path, await file.Content.ReadAsByteArrayAsync());
            var facts = await MediaFacts.ProbeAsync(path);
            Assert.Equal((128, 96), (facts.Width, facts.Height));
        }

        Directory.Delete(data, recursive: true);
    }
}
