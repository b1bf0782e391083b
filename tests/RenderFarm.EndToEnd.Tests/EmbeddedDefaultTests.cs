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
        string adminKey;
        await using (var first = await FarmHost.StartAsync([], settings))
        {
            adminKey = first.AdminKey;
            Assert.StartsWith("rf_", adminKey, StringComparison.Ordinal);
            Assert.Contains(adminKey, await File.ReadAllTextAsync(Path.Combine(data, "secrets.json")), StringComparison.Ordinal);
            using var anonymous = new HttpClient { BaseAddress = new Uri(first.RestUrl) };
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/productions")).StatusCode);
            using var http = Authorized(first.RestUrl, adminKey);
            var json = Rest.Json(new { canvas = new { width = 128, height = 96, segments = new object[] { new { color = new { color = "#00FFFF" }, duration = 1 } } } });
            id = (await Rest.CreateAsync(http, json))["id"]!.GetValue<string>();
            Assert.Equal("QUEUED", (await Rest.GetAsync(http, id))["state"]!.GetValue<string>());
        }

        settings["RenderFarm:Embedded:Nodes"] = "1";
        await using (var second = await FarmHost.StartAsync([], settings))
        {
            // The generated key survives the restart.
            Assert.Equal(adminKey, second.AdminKey);
            using var http = Authorized(second.RestUrl, adminKey);
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

    private static HttpClient Authorized(string url, string key)
    {
        var http = new HttpClient { BaseAddress = new Uri(url) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", key);
        return http;
    }
}
