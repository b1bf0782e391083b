using RenderFarm.Contracts;

namespace RenderFarm.CanvasModel.Tests;

public sealed class CanvasPlannerTests
{
    [Fact]
    public void KnownLengths_EverySegmentGetsExplicitTiming_AndTheResultPlansTheSame()
    {
        var canvas = Json.Canvas("""
            {'fps': 25, 'segments': [{'color': {'color': '#000000'}, 'duration': 2},
              {'color': {'color': '#FFFFFF'}, 'duration': 3, 'transition': {'kind': 'FADE', 'duration': 9}},
              {'text': {'text': 'Hi'}, 'start': 1},
              {'speech': {'text': 'Hello'}, 'start': 0.5}]}
            """);
        var plan = CanvasPlanner.Plan(canvas);

        Assert.False(plan.Approximate);
        Assert.Equal(3, plan.Duration, 6);
        Assert.Equal([(0d, 2d), (0d, 3d), (1d, 2d)], plan.Canvas.Segments.Take(3).Select(s => (s.Start, s.Duration)));
        Assert.Equal(2, plan.Canvas.Segments[1].Transition.Duration, 6);
        // Speech keeps its own length: only the start is made explicit.
        Assert.True(plan.Canvas.Segments[3].HasStart);
        Assert.False(plan.Canvas.Segments[3].HasDuration);
        Assert.Contains(plan.Warnings, w => w is { Code: PlanWarnings.TransitionClamped, Path: "canvas.segments[1].transition.duration" });
        Assert.Empty(CanvasValidator.Validate(plan.Canvas, null));
        var again = CanvasPlanner.Plan(plan.Canvas);
        Assert.Equal(plan.Canvas, again.Canvas);
        Assert.Equal(plan.Duration, again.Duration, 6);
    }

    [Fact]
    public void UnknownVideoLength_StaysUnresolved_WithAWarning_AndEarlierBaseKeepsItsTiming()
    {
        var canvas = Json.Canvas("""
            {'segments': [{'color': {'color': '#000000'}, 'duration': 2},
              {'video': {'src': 'https://example.com/a.mp4'}},
              {'color': {'color': '#FFFFFF'}, 'duration': 1},
              {'text': {'text': 'Hi'}}]}
            """);
        var plan = CanvasPlanner.Plan(canvas);

        Assert.True(plan.Approximate);
        Assert.Contains(plan.Warnings, w => w is { Code: PlanWarnings.MediaDurationUnknown, Path: "canvas.segments[1].duration" });
        Assert.True(plan.Canvas.Segments[0].HasStart);
        Assert.False(plan.Canvas.Segments[1].HasDuration);
        Assert.False(plan.Canvas.Segments[2].HasStart);
        Assert.False(plan.Canvas.Segments[3].HasDuration);
    }

    [Fact]
    public void TextWiderOrTallerThanTheFrame_IsTruncated()
    {
        var canvas = Json.Canvas("""
            {'width': 320, 'height': 240, 'segments': [{'color': {'color': '#000000'}, 'duration': 1},
              {'text': {'text': 'Supercalifragilisticexpialidocious', 'fontSize': 48}},
              {'text': {'text': 'a b c d e f g h i j k l m n o p', 'fontSize': 60}},
              {'text': {'text': 'fits', 'fontSize': 24}}]}
            """);
        var paths = CanvasPlanner.Plan(canvas).Warnings.Where(w => w.Code == PlanWarnings.TextTruncated).Select(w => w.Path).ToList();
        Assert.Equal(["canvas.segments[1].text.text", "canvas.segments[2].text.text"], paths);
    }
}
