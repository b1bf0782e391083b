using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using RenderFarm.Embedded;
using RenderFarm.Testing;

namespace RenderFarm.EndToEnd.Tests;

/// <summary>
/// Every /metrics endpoint of a farm (the embedded facade, which also carries its coordinator's
/// series; a standalone coordinator; a standalone node) after a real render: promtool finds
/// nothing to complain about, and the series operators watch are there with the values the
/// render, a missing production and a production no node can run should leave.
/// </summary>
public sealed partial class MetricsTests
{
    [Fact]
    public async Task EveryMetricsEndpoint_AfterARender_PassesPromtool_AndCountsWhatHappened()
    {
        await using var redis = await RedisServer.StartRedisAsync();
        var signingKey = new string('m', 40);
        await using var farm = await TestFarm.StartAsync(redis, nodes: 0, new Dictionary<string, string?> { ["RenderFarm:Storage:SigningKey"] = signingKey });
        var coordinatorMetrics = EmbeddedRedis.FreePort();
        using var coordinator = await CoordinatorProcess.StartAsync(farm, signingKey, coordinatorMetrics);
        var nodeMetrics = EmbeddedRedis.FreePort();
        using var node = NodeProcess.Start(farm, "metered", new Dictionary<string, string> { ["RenderFarm__Node__MetricsPort"] = Invariant(nodeMetrics) });

        var json = Rest.Json(new { canvas = new { width = 160, height = 120, segments = new object[] { new { color = new { color = "#336699" }, duration = 2 } } } });
        var rendered = (await Rest.CreateAsync(farm.Http, json))["id"]!.GetValue<string>();
        var events = await Rest.ReadEventsAsync(farm.Http, rendered);
        Assert.Equal("SUCCEEDED", events[^1].Data["production"]!["state"]!.GetValue<string>());
        var (missing, _) = await Rest.SendAsync(farm.Http, HttpMethod.Get, "/v1/productions/nosuchproduction");
        Assert.Equal(HttpStatusCode.NotFound, missing);
        // No node has a GPU: this one waits, high priority, in its placement's queue.
        var gpuOnly = Rest.Json(new
        {
            canvas = new { width = 160, height = 120, segments = new object[] { new { color = new { color = "#00AA00" }, duration = 1 } } },
            placement = new { required = new { gpu = true } },
            priority = "HIGH",
        });
        await Rest.CreateAsync(farm.Http, gpuOnly);

        var facade = await ScrapeAsync(farm.Host.RestUrl);
        var standalone = await ScrapeAsync($"http://127.0.0.1:{Invariant(coordinatorMetrics)}");
        var nodeText = await ScrapeAsync($"http://127.0.0.1:{Invariant(nodeMetrics)}");
        foreach (var (name, text) in new[] { ("facade", facade), ("coordinator", standalone), ("node", nodeText) })
        {
            var complaints = await PromtoolAsync(text);
            Assert.True(complaints.Length == 0, $"promtool check metrics on the {name} endpoint: {complaints}");
        }

        var f = Samples.Parse(facade);
        // gRPC calls by their status: the transcoded GET of a missing production is NotFound, not HTTP's 200/404.
        Assert.True(f.Value("renderfarm_grpc_server_handled_total", ("component", "facade"), ("grpc_service", "renderfarm.v1.ProductionService"), ("grpc_method", "GetProduction"), ("grpc_code", "NotFound")) >= 1);
        Assert.True(f.Value("renderfarm_grpc_server_handled_total", ("component", "facade"), ("grpc_method", "CreateProduction"), ("grpc_code", "OK")) >= 2);
        // The embedded facade and coordinator share a registry without sharing series.
        Assert.True(f.Has("http_requests_received_total", ("component", "facade")));
        Assert.True(f.Has("http_requests_in_progress", ("component", "coordinator")));
        Assert.Equal(1, f.Value("renderfarm_queue_depth", ("tenant", "default"), ("priority", "high")));
        Assert.Equal(0, f.Value("renderfarm_queue_depth", ("tenant", "default"), ("priority", "normal")));
        Assert.Equal(1, f.Value("renderfarm_productions", ("state", "queued")));
        Assert.Equal(0, f.Value("renderfarm_productions", ("state", "running")));
        Assert.Equal(1, f.Value("renderfarm_coordinator_nodes", ("state", "active"), ("gpu", "false")));
        Assert.Equal(1, f.Value("renderfarm_coordinator_node_encoders", ("encoder", "libx264")));
        Assert.Equal(1, f.Value("renderfarm_coordinator_node_slots", ("state", "free")));
        Assert.True(f.Value("renderfarm_coordinator_productions_finished_total", ("state", "succeeded")) >= 1);

        // The standalone coordinator sees the same queues, and holds no node.
        var c = Samples.Parse(standalone);
        Assert.Equal(1, c.Value("renderfarm_queue_depth", ("tenant", "default"), ("priority", "high")));
        Assert.Equal(0, c.Value("renderfarm_coordinator_nodes", ("state", "active"), ("gpu", "false")));

        var n = Samples.Parse(nodeText);
        Assert.True(n.Value("renderfarm_node_render_duration_seconds_count", ("outcome", "succeeded")) >= 1);
        Assert.True(n.Value("renderfarm_node_render_duration_seconds_sum", ("outcome", "succeeded")) > 0);
        var factor = n.Value("renderfarm_node_render_realtime_factor_sum", ("encoder", "libx264"));
        Assert.True(factor > 0, $"realtime factor sum {factor}");
        Assert.True(n.Value("renderfarm_node_render_realtime_factor_count", ("encoder", "libx264")) >= 1);

        // Every RenderFarm series an endpoint exposes has a panel in the chart's Grafana dashboard.
        var dashboard = await File.ReadAllTextAsync(Path.Combine(Repo.Root, "helm", "renderfarm", "files", "dashboard.json"));
        var families = new[] { facade, standalone, nodeText }
            .SelectMany(text => TypeLine().Matches(text).Select(m => m.Groups[1].Value))
            .Where(family => family.StartsWith("renderfarm_", StringComparison.Ordinal))
            .Distinct().Order().ToList();
        Assert.Contains("renderfarm_queue_depth", families);
        var unwatched = families.Where(family => !Regex.IsMatch(dashboard, $@"\b{family}(_bucket|_sum|_count)?\b")).ToList();
        Assert.True(unwatched.Count == 0, $"series without a dashboard panel: {string.Join(", ", unwatched)}");
    }

    [GeneratedRegex(@"^# TYPE (\S+) ", RegexOptions.Multiline)]
    private static partial Regex TypeLine();

    private static async Task<string> ScrapeAsync(string baseUrl)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
        string? text = null;
        await Wait.UntilAsync(async () =>
        {
            try
            {
                text = await http.GetStringAsync("/metrics");
                return true;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromMinutes(1), $"{baseUrl}/metrics to answer");
        return text!;
    }

    // promtool reads the exposition from stdin; what it prints is what it complains about.
    private static async Task<string> PromtoolAsync(string exposition)
    {
        var start = new ProcessStartInfo("promtool") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("check");
        start.ArgumentList.Add("metrics");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(exposition);
        process.StandardInput.Close();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(1)).Token);
        var said = ((await output) + (await errors)).Trim();
        return process.ExitCode == 0 && said.Length == 0 ? "" : $"exit {process.ExitCode}: {said}";
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The samples of a text exposition: name, labels, value.</summary>
    private sealed partial class Samples(List<(string Name, Dictionary<string, string> Labels, double Value)> samples)
    {
        public static Samples Parse(string text) => new([.. text.Split('\n')
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => Sample().Match(line))
            .Where(m => m.Success)
            .Select(m => (m.Groups["name"].Value,
                Label().Matches(m.Groups["labels"].Value).ToDictionary(l => l.Groups[1].Value, l => l.Groups[2].Value),
                double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture)))]);

        public bool Has(string name, params (string Key, string Value)[] labels) => Matching(name, labels).Any();

        /// <summary>The sum of the samples of <paramref name="name"/> that carry <paramref name="labels"/>; 0 when there are none.</summary>
        public double Value(string name, params (string Key, string Value)[] labels) => Matching(name, labels).Sum(s => s.Value);

        private IEnumerable<(string Name, Dictionary<string, string> Labels, double Value)> Matching(string name, (string Key, string Value)[] labels) =>
            samples.Where(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Key) == l.Value));

        [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)")]
        private static partial Regex Sample();

        [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
        private static partial Regex Label();
    }
}
