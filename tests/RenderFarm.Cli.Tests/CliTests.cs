using System.Diagnostics;
using System.Text.Json.Nodes;
using RenderFarm.Embedded;
using RenderFarm.Testing;

namespace RenderFarm.Cli.Tests;

/// <summary>The renderfarm CLI as a separate process against an embedded farm: output, files and exit codes.</summary>
public sealed class CliTests(CliFarmFixture fixture) : IClassFixture<CliFarmFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rf-cli-").FullName;

    private string Url => fixture.Url;

    private string AdminKey => fixture.Farm.AdminKey;

    /// <summary>A bare canvas (no "canvas" wrapper): 320x240, 24 fps, one red second.</summary>
    private string SmallCanvas(double seconds = 1) => Write("small.json",
        $$"""{"width": 320, "height": 240, "fps": 24, "segments": [{"color": {"color": "#FF0000"}, "duration": {{seconds}}}]}""");

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Render_DownloadsAnMp4_ThatFfprobeReads_AndJsonGetParses()
    {
        var output = Path.Combine(_dir, "out.mp4");
        var render = await CliProcess.RunAsync(Url, AdminKey, "render", SmallCanvas(), "-o", output);

        Assert.True(render.ExitCode == 0, render.ToString());
        Assert.Contains("SUCCEEDED", render.Stdout);
        Assert.DoesNotContain("polling", render.Stderr); // followed over SSE
        Assert.Contains("RUNNING", render.Stderr); // a line per state and stage when stdout is not a terminal
        var facts = await MediaFacts.ProbeAsync(output);
        Assert.Equal((320, 240), (facts.Width, facts.Height));
        Assert.Equal(1, facts.Duration, 0.2);

        var list = await CliProcess.RunAsync(Url, AdminKey, "--json", "list", "--page-size", "1");
        Assert.True(list.ExitCode == 0, list.ToString());
        var id = list.Json()["productions"]![0]!["id"]!.GetValue<string>();
        var get = await CliProcess.RunAsync(Url, AdminKey, "get", id, "--json");
        Assert.True(get.ExitCode == 0, get.ToString());
        var production = get.Json();
        Assert.Equal(id, production["id"]!.GetValue<string>());
        Assert.Equal("SUCCEEDED", production["state"]!.GetValue<string>());
        Assert.StartsWith("http", production["result"]!["url"]!.GetValue<string>());

        var watch = await CliProcess.RunAsync(Url, AdminKey, "watch", id, "-o", Path.Combine(_dir, "again.mp4"));
        Assert.True(watch.ExitCode == 0, watch.ToString());
        Assert.Equal(new FileInfo(output).Length, new FileInfo(Path.Combine(_dir, "again.mp4")).Length);
        var cancel = await CliProcess.RunAsync(Url, AdminKey, "cancel", id);
        Assert.Equal(5, cancel.ExitCode);
        Assert.Contains("PRODUCTION_FINISHED", cancel.Stderr);
    }

    [Fact]
    public async Task Plan_PrintsWarningsWithTheirPaths_AndTheEstimate()
    {
        var canvas = Write("plan.json", """
            {"canvas": {"width": 320, "height": 240, "fps": 24, "segments": [
              {"color": {"color": "#FF0000"}, "duration": 1},
              {"color": {"color": "#00FF00"}, "duration": 1, "transition": {"kind": "FADE", "duration": 3}}]},
             "displayName": "a request body: plan takes its canvas"}
            """);
        var plan = await CliProcess.RunAsync(Url, AdminKey, "plan", canvas, "--skip-previews");

        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Contains("TRANSITION_CLAMPED at canvas.segments[1].transition.duration", plan.Stdout);
        Assert.Contains("estimate: 1", plan.Stdout);

        var previews = await CliProcess.RunAsync(Url, AdminKey, "plan", SmallCanvas());
        Assert.True(previews.ExitCode == 0, previews.ToString());
        Assert.Contains("previews: READY", previews.Stdout);
        Assert.Contains("/preview-00.jpg?", previews.Stdout);
    }

    [Fact]
    public async Task MalformedCanvasFile_IsAUsageError_NamingLineAndPosition()
    {
        var canvas = Write("bad.json", "{\"segments\": [\n  {\"color\": {\"color\": \"#FF0000\"} \"duration\": 1}]}");
        var result = await CliProcess.RunAsync(Url, AdminKey, "render", canvas, "-o", Path.Combine(_dir, "x.mp4"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is not valid JSON at line 2", result.Stderr);
        Assert.False(File.Exists(Path.Combine(_dir, "x.mp4")));
    }

    [Fact]
    public async Task MissingArgument_IsAUsageError()
    {
        var result = await CliProcess.RunAsync(Url, AdminKey, "get");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error:", result.Stderr);
    }

    [Fact]
    public async Task UnreachableFarm_ExitsUnavailable_Quickly()
    {
        var closed = $"http://127.0.0.1:{EmbeddedRedis.FreePort()}";
        var result = await CliProcess.RunAsync(closed, AdminKey, "render", SmallCanvas(), "-o", Path.Combine(_dir, "x.mp4"));

        Assert.Equal(6, result.ExitCode);
        Assert.Contains("unreachable", result.Stderr);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(15), $"took {result.Elapsed}");
    }

    [Fact]
    public async Task RevokedKey_AndNoKey_ExitAuth()
    {
        var created = await CliProcess.RunAsync(Url, AdminKey, "--json", "keys", "create", "--tenant", "cli-revoked", "--scope", "RENDER");
        Assert.True(created.ExitCode == 0, created.ToString());
        var key = created.Json()["key"]!.GetValue<string>();
        var id = created.Json()["apiKey"]!["id"]!.GetValue<string>();
        Assert.Equal(0, (await CliProcess.RunAsync(Url, key, "list")).ExitCode);

        var revoke = await CliProcess.RunAsync(Url, AdminKey, "keys", "revoke", id);
        Assert.True(revoke.ExitCode == 0, revoke.ToString());
        var refused = await CliProcess.RunAsync(Url, key, "list");
        Assert.Equal(3, refused.ExitCode);
        Assert.Contains("API_KEY_INVALID", refused.Stderr);

        var none = await CliProcess.RunAsync(Url, null, "list");
        Assert.Equal(3, none.ExitCode);
    }

    [Fact]
    public async Task UnknownProduction_ExitsNotFound_WithTheReason()
    {
        var result = await CliProcess.RunAsync(Url, AdminKey, "get", "prod_doesnotexist");
        Assert.Equal(4, result.ExitCode);
        Assert.Contains("NOT_FOUND", result.Stderr);

        var json = await CliProcess.RunAsync(Url, AdminKey, "--json", "get", "prod_doesnotexist");
        Assert.Equal(4, json.ExitCode);
        Assert.Equal(5, json.Json()["code"]!.GetValue<int>()); // the google.rpc.Status body as sent
    }

    [Fact]
    public async Task PlanOnlyKey_CannotRender_ScopeMissing()
    {
        var created = await CliProcess.RunAsync(Url, AdminKey, "--json", "keys", "create", "--tenant", "cli-plan", "--scope", "PLAN");
        Assert.True(created.ExitCode == 0, created.ToString());
        var key = created.Json()["key"]!.GetValue<string>();

        var result = await CliProcess.RunAsync(Url, key, "render", SmallCanvas(), "-o", Path.Combine(_dir, "x.mp4"));
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("SCOPE_MISSING", result.Stderr);
        Assert.Equal(0, (await CliProcess.RunAsync(Url, key, "plan", SmallCanvas(), "--skip-previews")).ExitCode);
    }

    [Fact]
    public async Task InvalidCanvas_ExitsInvalid_NamingTheField()
    {
        var canvas = Write("invalid.json", """{"segments": [{"color": {"color": "#FF0000"}, "duration": -1}]}""");
        var result = await CliProcess.RunAsync(Url, AdminKey, "render", canvas, "-o", Path.Combine(_dir, "x.mp4"));

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("canvas.segments[0].duration", result.Stderr);
    }

    [Fact]
    public async Task CtrlC_DuringRender_AsksAndCancelsTheProduction()
    {
        var running = CliProcess.StartAsync(Url, AdminKey, ["render", SmallCanvas(seconds: 600), "-o", Path.Combine(_dir, "long.mp4")]);
        // Wait until it follows the production (it says "created" first), then interrupt it as a terminal would.
        var list = await Wait.ForAsync(async () =>
        {
            var page = await CliProcess.RunAsync(Url, AdminKey, "--json", "list", "--state", "RUNNING");
            return page.Json()["productions"]?.AsArray().Count > 0 ? page : null;
        }, TimeSpan.FromSeconds(60), "a running production");
        var id = list.Json()["productions"]![0]!["id"]!.GetValue<string>();
        using (var kill = Process.Start("kill", ["-INT", running.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await running.Stdin.WriteLineAsync("y");
        await running.Stdin.FlushAsync();
        var result = await running.Completion;

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"Cancel production {id}?", result.Stderr);
        var get = await CliProcess.RunAsync(Url, AdminKey, "--json", "get", id);
        Assert.Equal("CANCELLED", get.Json()["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Nodes_AssetsUpload_AndTemplatesList_Answer()
    {
        // The farm's node connects a moment after the farm starts.
        await Wait.ForAsync(async () =>
        {
            var nodes = await CliProcess.RunAsync(Url, AdminKey, "--json", "nodes");
            Assert.True(nodes.ExitCode == 0, nodes.ToString());
            return nodes.Json()["nodes"]?.AsArray().Count > 0 ? nodes : null;
        }, TimeSpan.FromSeconds(30), "a node listed");
        var table = await CliProcess.RunAsync(Url, AdminKey, "nodes");
        Assert.Contains("cores", table.Stdout);

        var image = Path.Combine(_dir, "red.png");
        await Tool.RunAsync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "color=c=red:s=64x64", "-frames:v", "1", image]);
        var upload = await CliProcess.RunAsync(Url, AdminKey, "--json", "assets", "upload", image);
        Assert.True(upload.ExitCode == 0, upload.ToString());
        var assetId = upload.Json()["id"]!.GetValue<string>();
        using var http = fixture.Farm.HttpFor(AdminKey);
        var asset = JsonNode.Parse(await http.GetStringAsync($"/v1/assets/{assetId}"))!;
        Assert.Equal(new FileInfo(image).Length.ToString(System.Globalization.CultureInfo.InvariantCulture), asset["sizeBytes"]!.ToString());

        var templates = await CliProcess.RunAsync(Url, AdminKey, "--json", "templates", "list");
        Assert.True(templates.ExitCode == 0, templates.ToString());
    }

    [Fact]
    public async Task TemplatesRender_MergesSetValues_AndDownloads()
    {
        using var http = fixture.Farm.HttpFor(AdminKey);
        var template = """
            {"displayName": "cli card", "canvas": {"width": 160, "height": 120, "fps": 25, "segments": [
              {"color": {"color": "{{BG}}"}, "duration": 1},
              {"text": {"text": "{{TITLE}}", "fontSize": 14, "color": "#FFFFFF"}, "start": 0}]},
             "fields": [{"name": "TITLE", "type": "TEXT", "required": true}, {"name": "BG", "type": "COLOR", "default": "#203040"},
                        {"name": "SECS", "type": "NUMBER", "default": 1}],
             "bindings": [{"field": "SECS", "path": "canvas.segments[0].duration"}]}
            """;
        using var created = await http.PostAsync("/v1/templates", new StringContent(template, System.Text.Encoding.UTF8, "application/json"));
        var body = await created.Content.ReadAsStringAsync();
        Assert.True(created.IsSuccessStatusCode, body);
        var id = JsonNode.Parse(body)!["id"]!.GetValue<string>();

        var listed = await CliProcess.RunAsync(Url, AdminKey, "templates", "list");
        Assert.Contains("TITLE:TEXT", listed.Stdout);
        var output = Path.Combine(_dir, "card.mp4");
        var render = await CliProcess.RunAsync(Url, AdminKey, "templates", "render", id, "--set", "TITLE=Hi there", "--set", "SECS=2", "-o", output);
        Assert.True(render.ExitCode == 0, render.ToString());
        Assert.Equal(2, (await MediaFacts.ProbeAsync(output)).Duration, 0.2);

        var missing = await CliProcess.RunAsync(Url, AdminKey, "templates", "render", id, "--set", "BG=#000000");
        Assert.Equal(5, missing.ExitCode);
        Assert.Contains("TITLE", missing.Stderr);
        Assert.Equal(2, (await CliProcess.RunAsync(Url, AdminKey, "templates", "render", id, "--set", "NOEQUALS")).ExitCode);
    }

    [Fact]
    public async Task RateLimitedKey_ExitsRateLimited()
    {
        using var http = fixture.Farm.HttpFor(AdminKey);
        using var created = await http.PostAsync("/v1/apiKeys", new StringContent(
            """{"tenant": "cli-limited", "scopes": ["RENDER"], "rateLimits": {"readsPerMinute": 1, "readBurst": 1}}""",
            System.Text.Encoding.UTF8, "application/json"));
        var body = await created.Content.ReadAsStringAsync();
        Assert.True(created.IsSuccessStatusCode, body);
        var key = JsonNode.Parse(body)!["key"]!.GetValue<string>();

        Assert.Equal(0, (await CliProcess.RunAsync(Url, key, "list")).ExitCode);
        var refused = await CliProcess.RunAsync(Url, key, "list");
        Assert.Equal(7, refused.ExitCode);
        Assert.Contains("RATE_LIMITED", refused.Stderr);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
