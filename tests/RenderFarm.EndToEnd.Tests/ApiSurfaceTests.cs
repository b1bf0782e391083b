using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Google.Api;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RenderFarm.Testing;

namespace RenderFarm.EndToEnd.Tests;

/// <summary>A nodeless farm on Garnet whose plans live one second.</summary>
public sealed class ShortPlanFarmFixture() : GarnetFarmWith(0, new() { ["RenderFarm:Plans:Ttl"] = "00:00:01" });

/// <summary>What the API says about itself: OpenAPI, gRPC health and reflection; and plan expiry.</summary>
public sealed partial class ApiSurfaceTests(ShortPlanFarmFixture fixture) : IClassFixture<ShortPlanFarmFixture>
{
    private TestFarm Farm => fixture.Farm;

    [Fact]
    public async Task OpenApi_DocumentsEveryTranscodedRoute_AndRedoclyFindsNoErrors()
    {
        var (status, doc) = await Rest.SendAsync(Farm.Http, HttpMethod.Get, "/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("3.1", doc!["openapi"]!.GetValue<string>());

        var rules = Farm.Host.FacadeServices.GetRequiredService<EndpointDataSource>().Endpoints
            .Select(e => e.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>())
            .OfType<GrpcJsonTranscodingMetadata>()
            .Select(m => m.HttpRule)
            .ToList();
        Assert.True(rules.Count >= 9, $"{rules.Count} transcoded routes");
        foreach (var rule in rules)
        {
            var (verb, path) = rule.PatternCase switch
            {
                HttpRule.PatternOneofCase.Get => ("get", rule.Get),
                HttpRule.PatternOneofCase.Post => ("post", rule.Post),
                HttpRule.PatternOneofCase.Put => ("put", rule.Put),
                HttpRule.PatternOneofCase.Delete => ("delete", rule.Delete),
                HttpRule.PatternOneofCase.Patch => ("patch", rule.Patch),
                _ => (rule.Custom.Kind.ToLowerInvariant(), rule.Custom.Path),
            };
            path = PathVariable().Replace(path, "{$1}");
            Assert.True(doc["paths"]?[path]?[verb] is not null, $"{verb.ToUpperInvariant()} {path} is not in the OpenAPI document");
        }

        var plans = doc["paths"]!["/v1/plans/{id}:render"]!["post"]!;
        Assert.Contains(plans["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "id" && p["in"]!.GetValue<string>() == "path");
        var list = doc["paths"]!["/v1/productions"]!["get"]!["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(["pageSize", "pageToken", "state"], list);
        Assert.NotNull(doc["paths"]!["/v1/productions/{id}:watch"]!["get"]!["responses"]!["200"]!["content"]!["application/x-ndjson"]);
        Assert.NotNull(doc["paths"]!["/v1/productions/{id}/events"]?["get"]?["responses"]?["200"]?["content"]?["text/event-stream"]);
        var schemas = doc["components"]!["schemas"]!;
        Assert.Equal("string", schemas["PlanEstimate"]!["properties"]!["frames"]!["type"]!.GetValue<string>());
        Assert.Contains("QUEUED", schemas["Production.State"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.NotNull(schemas["Segment"]!["x-oneof"]!["kind"]);
        Assert.NotNull(schemas["google.rpc.Status"]);
        Assert.Equal(["SRT", "VTT", "TRANSCRIPT_JSON"], schemas["OutputSpec.Sidecar"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()).Where(v => !v.EndsWith("UNSPECIFIED", StringComparison.Ordinal)));
        Assert.Contains("WAV", schemas["OutputSpec.Format"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.NotNull(schemas["ProductionResult"]!["properties"]!["transcript"]);
        Assert.NotNull(schemas["StillImage"]!["properties"]!["url"]);
        Assert.Equal("bearer", doc["components"]!["securitySchemes"]!["bearer"]!["scheme"]!.GetValue<string>());

        var file = Path.Combine(Farm.DataDirectory, "openapi.json");
        await File.WriteAllTextAsync(file, doc.ToJsonString());
        var (code, output) = await RedoclyLintAsync(file);
        Assert.True(code == 0, $"redocly lint found errors:\n{output}");
    }

    [Fact]
    public async Task OpenApi_EveryOperation_HasASummary_ItsErrors_AndTheRateLimitHeaders()
    {
        var (_, doc) = await Rest.SendAsync(Farm.Http, HttpMethod.Get, "/openapi/v1.json");
        Assert.NotNull(doc!["info"]!["license"]?["name"]);
        var tags = doc["tags"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("Productions", tags);
        Assert.Contains("API keys", tags);
        Assert.DoesNotContain(tags, t => t.Contains('.', StringComparison.Ordinal) || t.EndsWith("Service", StringComparison.Ordinal) || t.EndsWith("Endpoint", StringComparison.Ordinal));

        var operations = doc["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => (Path: p.Key, Verb: o.Key, Operation: o.Value!)))
            .ToList();
        foreach (var (path, verb, operation) in operations)
        {
            var name = $"{verb.ToUpperInvariant()} {path}";
            var summary = operation["summary"]?.GetValue<string>() ?? "";
            Assert.False(string.IsNullOrWhiteSpace(summary), $"{name} has no summary");
            Assert.DoesNotMatch(@"^\w+Service\.\w+$", summary);
            Assert.True(operation["tags"]?.AsArray().All(t => tags.Contains(t!.GetValue<string>())), $"{name} has an undeclared tag");
            if (!path.StartsWith("/v1/", StringComparison.Ordinal))
            {
                continue;
            }

            var responses = operation["responses"]!.AsObject();
            foreach (var code in new[] { "400", "401", "403", "429", "503" })
            {
                Assert.True(responses.ContainsKey(code), $"{name} does not declare {code}");
            }

            // 404 where a path id or a field of the body names a resource (a watch token's production).
            var notFound = path.Contains('{', StringComparison.Ordinal) || path == "/v1/watchTokens";
            Assert.True(notFound == responses.ContainsKey("404"), $"{name} {(notFound ? "lacks" : "declares")} 404");
        }

        var components = doc["components"]!;
        Assert.NotNull(components["responses"]!["TooManyRequests"]!["headers"]!["Retry-After"]);
        Assert.NotNull(components["headers"]!["X-RateLimit-Remaining"]);
        var create = doc["paths"]!["/v1/productions"]!["post"]!;
        Assert.NotNull(create["responses"]!["200"]!["headers"]!["X-RateLimit-Limit"]);
        Assert.True(create["responses"]!.AsObject().ContainsKey("409"), "CreateProduction's requestId can conflict");
        Assert.True(create["requestBody"]!["required"]!.GetValue<bool>());
        Assert.False(doc["paths"]!["/v1/productions/{id}:cancel"]!["post"]!["requestBody"]!["required"]?.GetValue<bool>() ?? false, "cancel needs no body");
        Assert.NotNull(doc["paths"]!["/objects/{key}"]?["get"]?["responses"]?["206"]);
        Assert.NotNull(doc["paths"]!["/objects/{key}"]?["put"]);
    }

    [Fact]
    public async Task OpenApi_Examples_AreRequestsTheApiAccepts()
    {
        var (_, doc) = await Rest.SendAsync(Farm.Http, HttpMethod.Get, "/openapi/v1.json");
        JsonNode Example(string path, string verb) =>
            doc!["paths"]![path]![verb]!["requestBody"]!["content"]!["application/json"]!["example"]!.DeepClone();

        // The production example's canvas, planned as it is (previews skipped to keep this quick).
        var production = Example("/v1/productions", "post").AsObject();
        var (status, plan) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, "/v1/plans",
            Rest.Json(new JsonObject { ["canvas"] = production["canvas"]!.DeepClone(), ["output"] = production["output"]!.DeepClone(), ["skipPreviews"] = true }));
        Assert.True(status == HttpStatusCode.OK, plan?.ToJsonString());
        Assert.Empty(plan!["warnings"]!.AsArray());

        // The template example is stored and renders with the render example's merge values.
        var (created, template) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, "/v1/templates", Rest.Json(Example("/v1/templates", "post")));
        Assert.True(created == HttpStatusCode.OK, template?.ToJsonString());
        var merge = Example("/v1/templates/{id}:plan", "post").AsObject();
        merge["skipPreviews"] = true;
        var (planned, templated) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, $"/v1/templates/{template!["id"]!.GetValue<string>()}:plan", Rest.Json(merge));
        Assert.True(planned == HttpStatusCode.OK, templated?.ToJsonString());
    }

    [Fact]
    public async Task GrpcHealth_IsServing_WhileRedisAnswers()
    {
        var health = new Health.HealthClient(Farm.Grpc);
        var reply = await health.CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }

    [Fact]
    public async Task GrpcReflection_ListsTheServices_AndServesTheirFiles()
    {
        var reflection = new ServerReflection.ServerReflectionClient(Farm.Grpc);
        using var call = reflection.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        Assert.True(await call.ResponseStream.MoveNext());
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("renderfarm.v1.PlanService", services);
        Assert.Contains("renderfarm.v1.ProductionService", services);
        Assert.Contains("grpc.health.v1.Health", services);

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "renderfarm.v1.PlanService" });
        Assert.True(await call.ResponseStream.MoveNext());
        var files = call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto
            .Select(b => Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(b).Name).ToList();
        Assert.Contains("renderfarm/v1/plan_service.proto", files);
        await call.RequestStream.CompleteAsync();
    }

    [Fact]
    public async Task ExpiredPlan_IsRefused_WithPlanExpired()
    {
        var canvas = new { width = 320, height = 240, segments = new object[] { new { color = new { color = "#FF0000" }, duration = 1 } } };
        var (status, plan) = await Rest.SendAsync(Farm.Http, HttpMethod.Post, "/v1/plans", Rest.Json(new { canvas, skipPreviews = true }));
        Assert.Equal(HttpStatusCode.OK, status);
        var id = plan!["id"]!.GetValue<string>();

        await Wait.UntilAsync(async () => (await Rest.SendAsync(Farm.Http, HttpMethod.Get, $"/v1/plans/{id}")).Status != HttpStatusCode.OK,
            TimeSpan.FromSeconds(30), "the plan to expire");
        foreach (var (method, path) in new[] { (HttpMethod.Get, $"/v1/plans/{id}"), (HttpMethod.Post, $"/v1/plans/{id}:render") })
        {
            var (code, body) = await Rest.SendAsync(Farm.Http, method, path, method == HttpMethod.Post ? "{}" : null);
            Assert.Equal(HttpStatusCode.BadRequest, code);
            Assert.Equal(9, body!["code"]!.GetValue<int>()); // FAILED_PRECONDITION
            Assert.Contains(body["details"]!.AsArray(), d => d!["reason"]?.GetValue<string>() == "PLAN_EXPIRED");
        }

        var grpc = new Contracts.V1.PlanService.PlanServiceClient(Farm.Grpc);
        var e = await Assert.ThrowsAsync<RpcException>(() => grpc.GetPlanAsync(new Contracts.V1.GetPlanRequest { Id = id }).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
    }

    private static async Task<(int Code, string Output)> RedoclyLintAsync(string file)
    {
        var redocly = Path.Combine(Repo.Root, ".tools", "redocly", "node_modules", ".bin", "redocly");
        Assert.True(File.Exists(redocly), "Redocly is not installed: run ./scripts/lint-openapi --install (./scripts/test does)");
        var start = new ProcessStartInfo(redocly, ["lint", file, "--config", Path.Combine(Repo.Root, "redocly.yaml"), "--format", "stylish"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true" },
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex(@"\{([^}=]+)(=[^}]*)?\}")]
    private static partial Regex PathVariable();
}
