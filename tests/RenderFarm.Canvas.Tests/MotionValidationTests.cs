using RenderFarm.Contracts;

namespace RenderFarm.CanvasModel.Tests;

/// <summary>Smart zoom, text animations, chroma key, filters and ducking ramps: valid forms pass, bad ones name their field.</summary>
public sealed class MotionValidationTests
{
    private const string Image = "'image': {'src': 'https://cdn.example.com/a.png'";

    private static IReadOnlyList<FieldViolation> Check(string segmentJson) =>
        CanvasValidator.Validate(Json.Canvas($"{{'segments': [{segmentJson}]}}"), null);

    private static void AssertOnly(string segmentJson, string field, string reason)
    {
        var v = Assert.Single(Check(segmentJson));
        Assert.Equal((field, reason), (v.Field, v.Reason));
    }

    [Fact]
    public void EveryMotionField_InRange_IsValid() => Assert.Empty(CanvasValidator.Validate(Json.Canvas("""
        {'segments': [
          {'image': {'src': 'https://cdn.example.com/a.png', 'kenBurns': {'from': {'x': 0, 'y': 0, 'width': 1, 'height': 1},
            'to': {'x': 0.6, 'y': 0.5, 'width': 0.4, 'height': 0.5}, 'easing': 'EASE_IN_OUT'}}, 'duration': 3,
           'filters': {'brightness': -1, 'contrast': 4, 'saturation': 0, 'blur': 0.1, 'grayscale': true}},
          {'video': {'src': 'asset://abc', 'chromaKey': {'color': '#00FF00', 'similarity': 0.01, 'blend': 1}}, 'filters': {'saturation': 3}},
          {'color': {'color': '#000000'}, 'duration': 1, 'filters': {'brightness': 1}},
          {'text': {'text': 'Hi', 'animation': 'TYPEWRITER', 'animationDuration': 0.5}},
          {'audio': {'src': 'https://cdn.example.com/m.mp3', 'duck': true, 'duckAttack': 0, 'duckRelease': 10}}]}
        """), null));

    [Theory]
    [InlineData("'from': {'x': -0.1, 'y': 0, 'width': 0.5, 'height': 0.5}", "from.x")]
    [InlineData("'from': {'x': 0, 'y': 'NaN', 'width': 0.5, 'height': 0.5}", "from.y")]
    [InlineData("'to': {'x': 0, 'y': 0, 'width': 0, 'height': 0.5}", "to.width")]
    [InlineData("'to': {'x': 0.7, 'y': 0, 'width': 0.5, 'height': 0.5}", "to.width")]
    [InlineData("'to': {'x': 0, 'y': 0.6, 'width': 0.5, 'height': 0.5}", "to.height")]
    [InlineData("'to': {'x': 0, 'y': 0, 'width': 0.5, 'height': 'Infinity'}", "to.height")]
    public void KenBurns_RectOutsideTheImage_IsOutOfRange(string rect, string field) =>
        AssertOnly($"{{{Image}, 'kenBurns': {{{rect}}}}}, 'duration': 2}}", $"canvas.segments[0].image.kenBurns.{field}", ErrorReasons.OutOfRange);

    [Theory]
    [InlineData("'zoom': 'IN'", "zoom")]
    [InlineData("'pan': 'PAN_LEFT'", "pan")]
    public void KenBurns_WithZoomOrPan_IsAnUnsupportedCombination(string legacy, string field) =>
        AssertOnly($"{{{Image}, {legacy}, 'kenBurns': {{}}}}, 'duration': 2}}", $"canvas.segments[0].image.{field}", ErrorReasons.UnsupportedCombination);

    [Theory]
    [InlineData("'animation': 7", "animation", ErrorReasons.InvalidEnum)]
    [InlineData("'animation': 'POP', 'animationDuration': 0", "animationDuration", ErrorReasons.OutOfRange)]
    [InlineData("'animation': 'POP', 'animationDuration': 'NaN'", "animationDuration", ErrorReasons.OutOfRange)]
    public void TextAnimation_OutOfRange_NamesTheField(string fields, string field, string reason) =>
        AssertOnly($"{{'text': {{'text': 'Hi', {fields}}}}}", $"canvas.segments[0].text.{field}", reason);

    [Theory]
    [InlineData("'color': 'green'", "color", ErrorReasons.InvalidColor)]
    [InlineData("'similarity': 0", "similarity", ErrorReasons.OutOfRange)]
    [InlineData("'blend': 1.5", "blend", ErrorReasons.OutOfRange)]
    [InlineData("'blend': 'NaN'", "blend", ErrorReasons.OutOfRange)]
    public void ChromaKey_OutOfRange_NamesTheField(string fields, string field, string reason) =>
        AssertOnly($"{{'video': {{'src': 'asset://abc', 'chromaKey': {{{fields}}}}}}}", $"canvas.segments[0].video.chromaKey.{field}", reason);

    [Theory]
    [InlineData("'brightness': 1.5", "brightness")]
    [InlineData("'contrast': -0.1", "contrast")]
    [InlineData("'saturation': 'NaN'", "saturation")]
    [InlineData("'blur': 0.2", "blur")]
    public void Filters_OutOfRange_NameTheField(string fields, string field) =>
        AssertOnly($"{{'color': {{'color': '#000000'}}, 'duration': 1, 'filters': {{{fields}}}}}", $"canvas.segments[0].filters.{field}", ErrorReasons.OutOfRange);

    [Theory]
    [InlineData("{'text': {'text': 'Hi'}, 'filters': {'grayscale': true}}")]
    [InlineData("{'shape': {'width': 1, 'height': 1, 'color': '#FFFFFF'}, 'filters': {'blur': 0.01}}")]
    [InlineData("{'audio': {'src': 'https://cdn.example.com/m.mp3'}, 'filters': {'grayscale': true}}")]
    public void Filters_OnTextOrShapeWithoutALayer_OrOnSound_AreUnsupported(string segment) =>
        AssertOnly(segment, "canvas.segments[0].filters", ErrorReasons.UnsupportedCombination);

    [Theory]
    [InlineData("{'image': {'src': 'asset://abc'}, 'duration': 1, 'layer': {'width': 0.5, 'height': 0.5}, 'filters': {'grayscale': true}}")]
    [InlineData("{'video': {'src': 'asset://abc', 'chromaKey': {}}, 'layer': {'width': 0.5, 'height': 0.5}}")]
    [InlineData("{'image': {'src': 'asset://abc', 'kenBurns': {}}, 'duration': 1, 'layer': {'width': 0.5, 'height': 0.5}}")]
    [InlineData("{'text': {'text': 'Hi', 'animation': 'POP'}, 'duration': 1, 'layer': {'width': 0.5, 'height': 0.5}}")]
    [InlineData("{'shape': {'kind': 'ELLIPSE', 'color': '#FFFFFF'}, 'duration': 1, 'layer': {'width': 0.5, 'height': 0.5}, 'filters': {'blur': 0.01}}")]
    public void PictureEffectsOnLayers_AreValid(string segment) => Assert.Empty(Check(segment));

    [Theory]
    [InlineData("'duckAttack': -1", "duckAttack")]
    [InlineData("'duckRelease': 11", "duckRelease")]
    [InlineData("'duckAttack': 'NaN'", "duckAttack")]
    public void DuckRamps_OutOfRange_NameTheField(string fields, string field) =>
        AssertOnly($"{{'audio': {{'src': 'https://cdn.example.com/m.mp3', 'duck': true, {fields}}}}}", $"canvas.segments[0].audio.{field}", ErrorReasons.OutOfRange);

    [Fact]
    public void AnimationLongerThanItsOverlay_IsClamped_WithAWarning()
    {
        var plan = CanvasPlanner.Plan(Json.Canvas("""
            {'segments': [{'color': {'color': '#000000'}, 'duration': 2},
              {'text': {'text': 'Hi', 'animation': 'SLIDE_UP', 'animationDuration': 3}, 'start': 0.5},
              {'text': {'text': 'Hi', 'animation': 'POP'}, 'start': 1.5}]}
            """));

        var w = Assert.Single(plan.Warnings, w => w.Code == PlanWarnings.AnimationClamped);
        Assert.Equal("canvas.segments[1].text.animationDuration", w.Path);
    }
}
