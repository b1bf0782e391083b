using RenderFarm.Contracts;

namespace RenderFarm.CanvasModel.Tests;

public sealed class TimelineResolverTests
{
    private static readonly Dictionary<int, double> NoMedia = [];

    [Fact]
    public void BaseSegments_SequenceInArrayOrder()
    {
        var t = TimelineResolver.Resolve(Json.Canvas("""
            {'segments': [{'color': {'color': '#000000'}, 'duration': 2}, {'color': {'color': '#FFFFFF'}, 'duration': 3}]}
            """), NoMedia);
        Assert.Equal([(0d, 2d), (2d, 3d)], t.Segments.Select(s => (s.Start, s.Duration)));
        Assert.Equal(5, t.Duration);
        Assert.Empty(t.Warnings);
    }

    [Fact]
    public void Transition_OverlapsWithPrevious()
    {
        var t = TimelineResolver.Resolve(Json.Canvas("""
            {'segments': [{'color': {'color': '#000000'}, 'duration': 2},
              {'color': {'color': '#FFFFFF'}, 'duration': 3, 'transition': {'kind': 'FADE', 'duration': 0.5}}]}
            """), NoMedia);
        Assert.Equal(1.5, t.Segments[1].Start);
        Assert.Equal(0.5, t.Segments[1].TransitionDuration);
        Assert.Equal(4.5, t.Duration);
    }

    [Fact]
    public void Transition_IsClampedToShorterNeighbour_WithWarning()
    {
        var t = TimelineResolver.Resolve(Json.Canvas("""
            {'segments': [{'color': {'color': '#000000'}, 'duration': 1},
              {'color': {'color': '#FFFFFF'}, 'duration': 3, 'transition': {'duration': 2}}]}
            """), NoMedia);
        Assert.Equal(1, t.Segments[1].TransitionDuration);
        Assert.Equal(0, t.Segments[1].Start);
        var w = Assert.Single(t.Warnings);
        Assert.Equal((PlanWarnings.TransitionClamped, "canvas.segments[1].transition.duration"), (w.Code, w.Path));
    }

    [Fact]
    public void TransitionOnFirstSegment_IsIgnored_WithWarning()
    {
        var t = TimelineResolver.Resolve(Json.Canvas("{'segments': [{'color': {'color': '#000000'}, 'duration': 1, 'transition': {'duration': 0.5}}]}"), NoMedia);
        Assert.Equal(0, t.Segments[0].TransitionDuration);
        Assert.Equal(PlanWarnings.TransitionIgnored, Assert.Single(t.Warnings).Code);
    }

    [Fact]
    public void ExplicitStart_LeavesAGap_AndFollowersSequenceAfterIt()
    {
        var t = TimelineResolver.Resolve(Json.Canvas("""
            {'segments': [{'color': {'color': '#000000'}, 'duration': 1},
              {'color': {'color': '#FFFFFF'}, 'duration': 1, 'start': 3},
              {'color': {'color': '#FF0000'}, 'duration': 1}]}
            """), NoMedia);
        Assert.Equal([0d, 3d, 4d], t.Segments.Select(s => s.Start));
        Assert.Equal(5, t.Duration);
    }

    [Fact]
    public void OverlappingExplicitStart_CutsThePrevious_WithWarning()
    {
        var t = TimelineResolver.Resolve(Json.Canvas("""
            {'segments': [{'color': {'color': '#000000'}, 'duration': 3},
              {'color': {'color': '#FFFFFF'}, 'duration': 1, 'start': 1}]}
            """), NoMedia);
        Assert.Equal(1, t.Segments[0].Duration);
        Assert.Equal(PlanWarnings.BaseOverlap, Assert.Single(t.Warnings).Code);
        Assert.Equal(2, t.Duration);
    }

    [Fact]
    public void MediaWithoutDuration_UsesWhatIsLeftAfterTrimAndSpeed()
    {
        var t = TimelineResolver.Resolve(Json.Canvas("""
            {'segments': [{'video': {'src': 'https://a.example/v.mp4', 'trimStart': 2, 'speed': 2}},
              {'audio': {'src': 'https://a.example/m.mp3', 'trimStart': 1}},
              {'speech': {'text': 'hi'}, 'start': 1}]}
            """), new Dictionary<int, double> { [0] = 10, [1] = 3, [2] = 1.5 });
        Assert.Equal(4, t.Duration);
        Assert.Equal((0d, 2d), (t.Segments[1].Start, t.Segments[1].Duration));
        Assert.Equal((1d, 1.5d), (t.Segments[2].Start, t.Segments[2].Duration));
        Assert.Empty(t.Warnings);
    }

    [Fact]
    public void Overlays_DefaultToWholeVideo_AndAreCutAtTheEnd()
    {
        var t = TimelineResolver.Resolve(Json.Canvas("""
            {'segments': [{'color': {'color': '#000000'}, 'duration': 4},
              {'text': {'text': 'a'}},
              {'shape': {'width': 1, 'height': 1, 'color': '#FFFFFF'}, 'start': 3, 'duration': 5},
              {'text': {'text': 'b'}, 'start': 9, 'duration': 1}]}
            """), NoMedia);
        Assert.Equal((0d, 4d), (t.Segments[1].Start, t.Segments[1].Duration));
        Assert.Equal((3d, 1d), (t.Segments[2].Start, t.Segments[2].Duration));
        Assert.Equal(0, t.Segments[3].Duration);
        Assert.Equal(["canvas.segments[2]", "canvas.segments[3]"], t.Warnings.Select(w => w.Path));
        Assert.All(t.Warnings, w => Assert.Equal(PlanWarnings.OverlayPastEnd, w.Code));
    }

    [Fact]
    public void LongMusic_IsCutAtTheEndOfTheVideo()
    {
        var t = TimelineResolver.Resolve(Json.Canvas("""
            {'segments': [{'color': {'color': '#000000'}, 'duration': 2}, {'audio': {'src': 'https://a.example/m.mp3'}}]}
            """), new Dictionary<int, double> { [1] = 60 });
        Assert.Equal(2, t.Segments[1].Duration);
        Assert.Equal(PlanWarnings.AudioPastEnd, Assert.Single(t.Warnings).Code);
    }

    [Fact]
    public void UnknownMediaLength_FallsBack_WithWarning()
    {
        var t = TimelineResolver.Resolve(Json.Canvas("{'segments': [{'video': {'src': 'https://a.example/v.mp4'}}]}"), NoMedia);
        Assert.Equal(TimelineResolver.FallbackDuration, t.Duration);
        Assert.Equal(PlanWarnings.MediaDurationUnknown, Assert.Single(t.Warnings).Code);
    }
}
