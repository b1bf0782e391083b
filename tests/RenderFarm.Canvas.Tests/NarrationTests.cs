using RenderFarm.Contracts;

namespace RenderFarm.CanvasModel.Tests;

/// <summary>Narrated scenes: validation with paths, and the lengths narrations give their segments.</summary>
public sealed class NarrationTests
{
    private static readonly Dictionary<int, double> NoMedia = [];

    private static IReadOnlyList<FieldViolation> Check(string segments, string extra = "") =>
        CanvasValidator.Validate(Json.Canvas($"{{{extra}'segments': [{{'color': {{'color': '#000000'}}, 'duration': 1}}, {segments}]}}"), null);

    [Fact]
    public void NarratedImageAndColor_NeedNoDuration()
    {
        Assert.Empty(Check("{'image': {'src': 'https://x.test/a.png'}, 'narration': {'text': 'Hello there'}}, {'color': {'color': '#FFFFFF'}, 'narration': {'text': 'Bye', 'rate': 200}, 'narrationPadding': 0}"));
        // A canvas of nothing but narrated scenes has a length.
        Assert.Empty(CanvasValidator.Validate(Json.Canvas("{'segments': [{'color': {'color': '#FFFFFF'}, 'narration': {'text': 'Only words'}}]}"), null));
    }

    [Theory]
    [InlineData("{'color': {'color': '#FFFFFF'}, 'narration': {'text': ''}}", "canvas.segments[1].narration.text", ErrorReasons.FieldRequired)]
    [InlineData("{'color': {'color': '#FFFFFF'}, 'narration': {'text': '   '}}", "canvas.segments[1].narration.text", ErrorReasons.FieldRequired)]
    [InlineData("{'color': {'color': '#FFFFFF'}, 'narration': {'text': 'hi', 'rate': 20}}", "canvas.segments[1].narration.rate", ErrorReasons.OutOfRange)]
    [InlineData("{'color': {'color': '#FFFFFF'}, 'narration': {'text': 'hi', 'voice': 'en;rm'}}", "canvas.segments[1].narration.voice", ErrorReasons.OutOfRange)]
    [InlineData("{'color': {'color': '#FFFFFF'}, 'narration': {'text': 'hi'}, 'narrationPadding': -0.1}", "canvas.segments[1].narrationPadding", ErrorReasons.OutOfRange)]
    [InlineData("{'color': {'color': '#FFFFFF'}, 'narration': {'text': 'hi'}, 'narrationPadding': 'NaN'}", "canvas.segments[1].narrationPadding", ErrorReasons.OutOfRange)]
    [InlineData("{'color': {'color': '#FFFFFF'}, 'duration': 1, 'narrationPadding': 1}", "canvas.segments[1].narrationPadding", ErrorReasons.UnsupportedCombination)]
    [InlineData("{'color': {'color': '#FFFFFF'}, 'duration': 1, 'layer': {'width': 0.5, 'height': 0.5}, 'narration': {'text': 'hi'}}", "canvas.segments[1].narration", ErrorReasons.NarrationNotAllowed)]
    [InlineData("{'text': {'text': 'Title'}, 'duration': 1, 'narration': {'text': 'hi'}}", "canvas.segments[1].narration", ErrorReasons.NarrationNotAllowed)]
    [InlineData("{'speech': {'text': 'Words'}, 'narration': {'text': 'hi'}}", "canvas.segments[1].narration", ErrorReasons.NarrationNotAllowed)]
    [InlineData("{'captions': {}, 'narrationPadding': 1}", "canvas.segments[1].narrationPadding", ErrorReasons.NarrationNotAllowed)]
    public void BadNarration_NamesTheField(string segment, string field, string reason)
    {
        var v = Assert.Single(Check(segment));
        Assert.Equal((field, reason), (v.Field, v.Reason));
    }

    [Fact]
    public void TooLongNarration_IsTooLong()
    {
        var v = Assert.Single(Check($"{{'color': {{'color': '#FFFFFF'}}, 'narration': {{'text': '{new string('a', CanvasLimits.MaxTextLength + 1)}'}}}}"));
        Assert.Equal(("canvas.segments[1].narration.text", ErrorReasons.TooLong), (v.Field, v.Reason));
    }

    [Fact]
    public void NegativeCanvasPadding_IsOutOfRange()
    {
        var v = Assert.Single(Check("{'color': {'color': '#FFFFFF'}, 'narration': {'text': 'hi'}}", "'narrationPadding': -1, "));
        Assert.Equal(("canvas.narrationPadding", ErrorReasons.OutOfRange), (v.Field, v.Reason));
    }

    [Fact]
    public void NarratedScenes_LastTheirNarrationPlusPadding_SegmentOverCanvasOverDefault()
    {
        var canvas = Json.Canvas("""
            {'narrationPadding': 0.25, 'segments': [
              {'color': {'color': '#000000'}, 'narration': {'text': 'one'}},
              {'color': {'color': '#FFFFFF'}, 'narration': {'text': 'two'}, 'narrationPadding': 1},
              {'color': {'color': '#FF0000'}, 'duration': 2, 'narration': {'text': 'three'}},
              {'color': {'color': '#00FF00'}, 'narration': {'text': 'four'}, 'transition': {'duration': 0.5}}]}
            """);
        var t = TimelineResolver.Resolve(canvas, NoMedia, new Dictionary<int, double> { [0] = 1.5, [1] = 2, [2] = 1, [3] = 3 });
        Assert.Equal([(0d, 1.75d), (1.75d, 3d), (4.75d, 2d), (6.25d, 3.25d)], t.Segments.Select(s => (s.Start, s.Duration)));
        Assert.Equal(9.5, t.Duration, 9);
        Assert.Empty(t.Warnings);

        canvas.ClearNarrationPadding();
        Assert.Equal(2, TimelineResolver.Resolve(canvas, NoMedia, new Dictionary<int, double> { [0] = 1.5 }).Segments[0].Duration, 9);
    }

    [Fact]
    public void NarrationLongerThanItsDuration_IsCut_WithWarning()
    {
        var t = TimelineResolver.Resolve(Json.Canvas("{'segments': [{'color': {'color': '#000000'}, 'duration': 1, 'narration': {'text': 'a long sentence'}}]}"),
            NoMedia, new Dictionary<int, double> { [0] = 2.5 });
        var w = Assert.Single(t.Warnings);
        Assert.Equal((PlanWarnings.NarrationCut, "canvas.segments[0].narration"), (w.Code, w.Path));
        Assert.Equal(1, t.Duration);
    }

    [Fact]
    public void UnsynthesisedNarration_IsEstimated_AndThePlanIsApproximate()
    {
        var plan = CanvasPlanner.Plan(Json.Canvas("{'segments': [{'color': {'color': '#000000'}, 'narration': {'text': 'one two three four five six seven'}}]}"));
        Assert.True(plan.Approximate);
        Assert.Equal((PlanWarnings.MediaDurationUnknown, "canvas.segments[0].narration"), (plan.Warnings[0].Code, plan.Warnings[0].Path));
        Assert.Equal((7 * 60.0 / 175) + 0.5, plan.Duration, 6);
    }

    [Fact]
    public void Plan_WithSynthesisedLengths_GivesEveryNarratedSceneItsStartAndDuration()
    {
        var plan = CanvasPlanner.Plan(Json.Canvas("""
            {'segments': [{'color': {'color': '#000000'}, 'narration': {'text': 'one'}},
              {'color': {'color': '#FFFFFF'}, 'narration': {'text': 'two'}},
              {'text': {'text': 'Title'}}]}
            """), null, new Dictionary<int, double> { [0] = 1.2, [1] = 0.8 });
        Assert.False(plan.Approximate);
        Assert.Equal([(0d, 1.7d), (1.7d, 1.3d), (0d, 3d)], plan.Canvas.Segments.Select(s => (s.Start, Math.Round(s.Duration, 9))));
        Assert.Equal(3, plan.Duration, 9);
    }

    [Fact]
    public void Expand_AppendsEachNarrationAsSpeech_FromItsSceneStart_CutAtItsEnd()
    {
        var canvas = Json.Canvas("""
            {'segments': [{'color': {'color': '#000000'}, 'narration': {'text': 'one', 'voice': 'de'}},
              {'color': {'color': '#FFFFFF'}, 'duration': 0.5, 'narration': {'text': 'two'}},
              {'captions': {}}]}
            """);
        var lengths = new Dictionary<int, double> { [0] = 1.2, [1] = 0.8 };
        var (spoken, indices) = Narrations.Expand(canvas, TimelineResolver.Resolve(canvas, NoMedia, lengths), lengths);
        Assert.Equal(5, spoken.Segments.Count);
        Assert.Equal(new Dictionary<int, int> { [3] = 0, [4] = 1 }, indices);
        Assert.Equal(("one", "de", 0d, 1.2d), (spoken.Segments[3].Speech.Text, spoken.Segments[3].Speech.Voice, spoken.Segments[3].Start, spoken.Segments[3].Duration));
        Assert.Equal(("two", 1.7d, 0.5d), (spoken.Segments[4].Speech.Text, spoken.Segments[4].Start, spoken.Segments[4].Duration));
        Assert.Equal(3, canvas.Segments.Count);
    }

    [Fact]
    public void StillTimePastANarratedEnd_IsRefused_OnceTheLengthIsKnown()
    {
        var canvas = Json.Canvas("{'segments': [{'color': {'color': '#000000'}, 'narration': {'text': 'one'}}]}");
        var output = Json.Output("{'stillTimes': [3]}");
        Assert.Empty(CanvasValidator.Validate(canvas, output));
        var v = Assert.Single(CanvasValidator.Validate(canvas, output, new Dictionary<int, double> { [0] = 1 }));
        Assert.Equal(("output.stillTimes[0]", ErrorReasons.StillTimeOutOfRange), (v.Field, v.Reason));
    }
}
