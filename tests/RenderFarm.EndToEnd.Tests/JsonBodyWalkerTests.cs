using System.Text;
using RenderFarm.Contracts.V1;
using RenderFarm.Facade.Requests;

namespace RenderFarm.EndToEnd.Tests;

/// <summary>The body walker alone, on inputs no route of today's API can reach or that are costly end to end.</summary>
public sealed class JsonBodyWalkerTests
{
    private static readonly JsonBodyValidation.BodyType Create = new(CreateProductionRequest.Descriptor, null);

    private static Task<IReadOnlyList<RenderFarm.Contracts.Problems.Violation>> CheckAsync(string json, JsonBodyValidation.BodyType? target = null) =>
        JsonBodyValidation.CheckAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), target ?? Create, CancellationToken.None);

    [Theory]
    [InlineData("""{"afterSequence":"9007199254740993"}""")]
    [InlineData("""{"after_sequence":12}""")]
    [InlineData("""{"afterSequence":"-3"}""")]
    public async Task Int64_TakesNumbersAndNumericStrings(string json) =>
        Assert.Empty(await CheckAsync(json, new(WatchProductionRequest.Descriptor, null)));

    [Theory]
    [InlineData("""{"afterSequence":"1.5"}""")]
    [InlineData("""{"afterSequence":true}""")]
    [InlineData("""{"afterSequence":"99999999999999999999"}""")]
    public async Task Int64_RejectsNonIntegers(string json) =>
        Assert.Equal("INVALID_TYPE", Assert.Single(await CheckAsync(json, new(WatchProductionRequest.Descriptor, null))).Reason);

    [Fact]
    public async Task DeepNesting_IsMalformed_NotAStackOverflow()
    {
        var json = """{"labels":""" + new string('[', 10_000) + new string(']', 10_000) + "}";
        var v = Assert.Single(await CheckAsync(json));
        Assert.Equal("MALFORMED_JSON", v.Reason);
        Assert.Contains("depth", v.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Violations_AreCapped()
    {
        var json = "{" + string.Join(",", Enumerable.Range(0, 100).Select(i => $"\"x{i}\":1")) + "}";
        Assert.Equal(20, (await CheckAsync(json)).Count);
    }

    [Fact]
    public async Task BodyField_PathsStartAtThatField()
    {
        var canvas = new JsonBodyValidation.BodyType(CreateProductionRequest.Descriptor, CreateProductionRequest.Descriptor.FindFieldByName("canvas"));
        var v = Assert.Single(await CheckAsync("""{"fpz":1}""", canvas));
        Assert.Equal(("canvas.fpz", "UNKNOWN_FIELD"), (v.Field, v.Reason));
    }

    [Theory]
    [InlineData("""{"canvas":{"segments":[{"shape":{"kind":"RECTANGLE","x":1}}]},"output":{"poster":false}}""")]
    [InlineData("""{"canvas":{"segments":[{"captions":{"words":[{"text":"a","start":0,"end":"Infinity"}]}}]}}""")]
    [InlineData("""{"canvas":null,"labels":null,"priority":3}""")]
    public async Task ValidBodies_HaveNoViolations(string json) => Assert.Empty(await CheckAsync(json));

    [Theory]
    [InlineData("\"just a string\"", "", "INVALID_TYPE")]
    [InlineData("[]", "", "INVALID_TYPE")]
    [InlineData("""{"canvas":{"segments":[{"text":{"position":"MIDDLE"}}]}}""", "canvas.segments[0].text.position", "INVALID_ENUM")]
    [InlineData("""{"canvas":{"segments":[{"transition":{"kind":1.5}}]}}""", "canvas.segments[0].transition.kind", "INVALID_TYPE")]
    [InlineData("{\"canvas\":{\"width\":1}} trailing", "", "MALFORMED_JSON")]
    public async Task Violation_NamesFieldAndReason(string json, string field, string reason)
    {
        var v = (await CheckAsync(json))[0];
        Assert.Equal((field, reason), (v.Field, v.Reason));
    }
}
