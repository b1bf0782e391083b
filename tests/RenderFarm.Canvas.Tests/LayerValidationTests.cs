using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;

namespace RenderFarm.CanvasModel.Tests;

public sealed class LayerValidationTests
{
    private const string Base = "{'color': {'color': '#000000'}, 'duration': 4}";

    private static IReadOnlyList<FieldViolation> Check(string layerSegment) =>
        CanvasValidator.Validate(Json.Canvas($"{{'segments': [{Base}, {layerSegment}]}}"), null);

    private static void AssertOnly(string layerSegment, string field, string reason)
    {
        var v = Assert.Single(Check(layerSegment));
        Assert.Equal((field, reason), (v.Field, v.Reason));
    }

    [Fact]
    public void WatermarkAndPip_AreValid()
    {
        Assert.Empty(Check("{'image': {'src': 'https://cdn.example.com/logo.png'}, 'layer': {'x': 0.85, 'y': 0.05, 'width': 0.1, 'height': 0.1, 'opacity': 0.8}}"));
        Assert.Empty(Check("""
            {'video': {'src': 'asset://cam', 'muted': true, 'loop': true}, 'start': 1, 'duration': 3,
             'layer': {'x': 0.7, 'y': 0.7, 'width': 0.25, 'height': 0.25, 'rotation': -5, 'zIndex': 2, 'fit': 'COVER',
                       'crop': {'x': 0.1, 'y': 0, 'width': 0.8, 'height': 1},
                       'keyframes': [{'time': 0, 'x': 1.1}, {'time': 1, 'x': 0.7, 'easing': 'EASE_OUT'}, {'time': 3, 'opacity': 0}]}}
            """));
        Assert.Empty(Check("{'text': {'text': 'Title'}, 'layer': {'width': 0.5, 'height': 0.2}}"));
        Assert.Empty(Check("{'shape': {'kind': 'ELLIPSE', 'color': '#FF0000'}, 'layer': {'width': 0.5, 'height': 0.2}}"));
    }

    [Fact]
    public void DocsExample_IsValid()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "docs", "api.md")))
        {
            dir = dir.Parent;
        }
        var doc = File.ReadAllText(Path.Combine(dir!.FullName, "docs", "api.md"));
        var section = doc[doc.IndexOf("## Layers and keyframes", StringComparison.Ordinal)..];
        var start = section.IndexOf("```json", StringComparison.Ordinal) + "```json".Length;
        var json = section[start..section.IndexOf("```", start, StringComparison.Ordinal)];
        Assert.Empty(CanvasValidator.Validate(Google.Protobuf.JsonParser.Default.Parse<Contracts.V1.Canvas>(json), null));
    }

    [Fact]
    public void ColorAndImageLayers_NeedNoDuration()
    {
        Assert.Empty(Check("{'color': {'color': '#FF0000'}, 'layer': {'width': 0.5, 'height': 0.5}}"));
        var timeline = TimelineResolver.Resolve(Json.Canvas($"{{'segments': [{Base}, {{'color': {{'color': '#FF0000'}}, 'start': 1, 'layer': {{'width': 0.5, 'height': 0.5}}}}]}}"), new Dictionary<int, double>());
        Assert.Equal(4, timeline.Duration);
        Assert.Equal((1d, 3d), (timeline.Segments[1].Start, timeline.Segments[1].Duration));
    }

    [Fact]
    public void VideoLayer_PlaysTheRestOfItsClip_CutAtTheEnd()
    {
        var canvas = Json.Canvas($"{{'segments': [{Base}, {{'video': {{'src': 'https://x.test/a.mp4', 'trimStart': 1}}, 'start': 0.5, 'layer': {{'width': 0.5, 'height': 0.5}}}}]}}");
        var timeline = TimelineResolver.Resolve(canvas, new Dictionary<int, double> { [1] = 3 });
        Assert.Equal((0.5, 2d), (timeline.Segments[1].Start, timeline.Segments[1].Duration));
        Assert.Equal(4, timeline.Duration);
        var longer = TimelineResolver.Resolve(canvas, new Dictionary<int, double> { [1] = 10 });
        Assert.Equal(3.5, longer.Segments[1].Duration);
        Assert.Contains(longer.Warnings, w => w.Code == PlanWarnings.OverlayPastEnd && w.Path == "canvas.segments[1]");
    }

    [Fact]
    public void LayerWithNoBox_NamesWidthAndHeight()
    {
        var violations = Check("{'image': {'src': 'https://x.test/a.png'}, 'duration': 2, 'layer': {'opacity': 0.5}}");
        Assert.Equal(
            [("canvas.segments[1].layer.height", ErrorReasons.FieldRequired), ("canvas.segments[1].layer.width", ErrorReasons.FieldRequired)],
            violations.Select(v => (v.Field, v.Reason)).Order());
    }

    [Fact]
    public void KeyframePastTheLayersResolvedEnd_IsReported_AsAPlanWarning()
    {
        // No duration: the layer runs to the video's end at 4 s, 1.5 s after its start.
        var plan = CanvasPlanner.Plan(Json.Canvas($$$"""
            {'segments': [{{{Base}}},
              {'color': {'color': '#FF0000'}, 'start': 2.5, 'layer': {'width': 0.5, 'height': 0.5, 'keyframes': [
                {'time': 1, 'x': 0.2}, {'time': 2, 'x': 0.4}, {'time': 3, 'x': 0.5}]}},
              {'color': {'color': '#FF0000'}, 'layer': {'width': 0.5, 'height': 0.5, 'keyframes': [{'time': 4, 'x': 0.2}]}}]}
            """));

        var w = Assert.Single(plan.Warnings, w => w.Code == PlanWarnings.KeyframePastEnd);
        Assert.Equal("canvas.segments[1].layer.keyframes[1].time", w.Path);
    }

    [Theory]
    [InlineData("{'width': 0.5}", "canvas.segments[1].layer.height", "FIELD_REQUIRED")]
    [InlineData("{'height': 0.5}", "canvas.segments[1].layer.width", "FIELD_REQUIRED")]
    [InlineData("{'width': 0, 'height': 0.5}", "canvas.segments[1].layer.width", "OUT_OF_RANGE")]
    [InlineData("{'width': 5, 'height': 0.5}", "canvas.segments[1].layer.width", "OUT_OF_RANGE")]
    [InlineData("{'width': 0.5, 'height': -0.1}", "canvas.segments[1].layer.height", "OUT_OF_RANGE")]
    [InlineData("{'width': 'Infinity', 'height': 0.5}", "canvas.segments[1].layer.width", "OUT_OF_RANGE")]
    [InlineData("{'width': 0.5, 'height': 0.5, 'x': 2.5}", "canvas.segments[1].layer.x", "OUT_OF_RANGE")]
    [InlineData("{'width': 0.5, 'height': 0.5, 'opacity': -0.5}", "canvas.segments[1].layer.opacity", "OUT_OF_RANGE")]
    [InlineData("{'width': 0.5, 'height': 0.5, 'rotation': 40000}", "canvas.segments[1].layer.rotation", "OUT_OF_RANGE")]
    [InlineData("{'width': 0.5, 'height': 0.5, 'x': -2}", "canvas.segments[1].layer.x", "OUT_OF_RANGE")]
    [InlineData("{'width': 0.5, 'height': 0.5, 'y': 'NaN'}", "canvas.segments[1].layer.y", "OUT_OF_RANGE")]
    [InlineData("{'width': 0.5, 'height': 0.5, 'opacity': 7}", "canvas.segments[1].layer.opacity", "OUT_OF_RANGE")]
    [InlineData("{'width': 0.5, 'height': 0.5, 'rotation': 'NaN'}", "canvas.segments[1].layer.rotation", "OUT_OF_RANGE")]
    [InlineData("{'width': 0.5, 'height': 0.5, 'rotation': 'Infinity'}", "canvas.segments[1].layer.rotation", "OUT_OF_RANGE")]
    [InlineData("{'width': 0.5, 'height': 0.5, 'fit': 'CONTAIN_BLUR'}", "canvas.segments[1].layer.fit", "UNSUPPORTED_COMBINATION")]
    [InlineData("{'width': 0.5, 'height': 0.5, 'fit': 17}", "canvas.segments[1].layer.fit", "INVALID_ENUM")]
    [InlineData("{'width': 0.5, 'height': 0.5, 'crop': {'x': 0.5, 'width': 0.6, 'height': 1}}", "canvas.segments[1].layer.crop.width", "OUT_OF_RANGE")]
    [InlineData("{'width': 0.5, 'height': 0.5, 'crop': {'width': 1, 'height': 0}}", "canvas.segments[1].layer.crop.height", "OUT_OF_RANGE")]
    [InlineData("{'width': 0.5, 'height': 0.5, 'crop': {'x': -0.1, 'width': 0.5, 'height': 1}}", "canvas.segments[1].layer.crop.x", "OUT_OF_RANGE")]
    public void BadBox_NamesTheField(string layer, string field, string reason) =>
        AssertOnly($"{{'image': {{'src': 'https://x.test/a.png'}}, 'duration': 2, 'layer': {layer}}}", field, reason);

    [Theory]
    [InlineData("[{'time': 1, 'x': 0.5}, {'time': 0.5, 'x': 0.2}]", "canvas.segments[1].layer.keyframes[1].time")]
    [InlineData("[{'time': 1, 'x': 0.5}, {'time': 1, 'x': 0.2}]", "canvas.segments[1].layer.keyframes[1].time")]
    [InlineData("[{'time': -0.1}]", "canvas.segments[1].layer.keyframes[0].time")]
    [InlineData("[{'time': 2.5}]", "canvas.segments[1].layer.keyframes[0].time")]
    [InlineData("[{'time': 'NaN'}]", "canvas.segments[1].layer.keyframes[0].time")]
    [InlineData("[{'time': 1, 'opacity': 7}]", "canvas.segments[1].layer.keyframes[0].opacity")]
    [InlineData("[{'time': 1, 'rotation': 'NaN'}]", "canvas.segments[1].layer.keyframes[0].rotation")]
    [InlineData("[{'time': 1, 'width': 0}]", "canvas.segments[1].layer.keyframes[0].width")]
    [InlineData("[{'time': 1, 'height': 'Infinity'}]", "canvas.segments[1].layer.keyframes[0].height")]
    [InlineData("[{'time': 1, 'x': 3}]", "canvas.segments[1].layer.keyframes[0].x")]
    public void BadKeyframe_NamesTheField(string keyframes, string field) =>
        AssertOnly($"{{'color': {{'color': '#FF0000'}}, 'duration': 2, 'layer': {{'width': 0.5, 'height': 0.5, 'keyframes': {keyframes}}}}}", field, ErrorReasons.OutOfRange);

    [Fact]
    public void BadEasing_IsAnInvalidEnum() =>
        AssertOnly("{'color': {'color': '#FF0000'}, 'duration': 2, 'layer': {'width': 0.5, 'height': 0.5, 'keyframes': [{'time': 1, 'easing': 9}]}}",
            "canvas.segments[1].layer.keyframes[0].easing", ErrorReasons.InvalidEnum);

    [Theory]
    [InlineData("{'audio': {'src': 'https://x.test/a.mp3'}, 'layer': {'width': 0.5, 'height': 0.5}}", "canvas.segments[1].layer")]
    [InlineData("{'captions': {}, 'layer': {'width': 0.5, 'height': 0.5}}", "canvas.segments[1].layer")]
    [InlineData("{'color': {'color': '#FF0000'}, 'layer': {'width': 0.5, 'height': 0.5, 'crop': {'width': 0.5, 'height': 0.5}}}", "canvas.segments[1].layer.crop")]
    public void LayerOnTheWrongKind_IsUnsupported(string segment, string field) =>
        AssertOnly(segment, field, ErrorReasons.UnsupportedCombination);

    [Fact]
    public void Tracks_HoldUngivenProperties_AndEase()
    {
        var layer = Json.Canvas("""
            {'segments': [{'color': {'color': '#FF0000'}, 'duration': 4, 'layer': {'x': 0.1, 'width': 0.5, 'height': 0.5, 'keyframes': [
              {'time': 1, 'y': 0.4}, {'time': 2, 'x': 0.5, 'easing': 'EASE_IN'}, {'time': 3, 'y': 0}]}}]}
            """).Segments[0].Layer;
        var m = LayerMotion.Of(layer);
        Assert.Equal(0.1, m.X.At(0.5), 9);
        Assert.Equal(0.1, m.X.At(1), 9);
        Assert.Equal(0.1 + (0.4 * 0.125), m.X.At(1.5), 9);
        Assert.Equal(0.5, m.X.At(3.5), 9);
        Assert.Equal(0.2, m.Y.At(0.5), 9);
        Assert.Equal(0.4, m.Y.At(2), 9);
        Assert.Equal(0.2, m.Y.At(2.5), 9);
        Assert.True(m.Opacity.IsConstant);
        Assert.True(m.Moves);
        Assert.Equal(0.5, Easings.Apply(Easing.EaseInOut, 0.5), 9);
        Assert.Equal(0.875, Easings.Apply(Easing.EaseOut, 0.5), 9);
    }
}
