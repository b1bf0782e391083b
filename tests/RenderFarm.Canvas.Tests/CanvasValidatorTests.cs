using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;

namespace RenderFarm.CanvasModel.Tests;

public sealed class CanvasValidatorTests
{
    private static IReadOnlyList<FieldViolation> Check(string canvasJson, string? outputJson = null) =>
        CanvasValidator.Validate(Json.Canvas(canvasJson), outputJson is null ? null : Json.Output(outputJson));

    private static void AssertOnly(IReadOnlyList<FieldViolation> violations, string field, string reason)
    {
        var v = Assert.Single(violations);
        Assert.Equal((field, reason), (v.Field, v.Reason));
    }

    [Fact]
    public void ContractExample_IsValid()
    {
        var violations = Check("""
            {'preset': 'YOUTUBE_LANDSCAPE', 'fps': 30, 'backgroundColor': '#000000', 'segments': [
              {'color': {'color': '#1E3A8A'}, 'duration': 2},
              {'image': {'src': 'https://cdn.example.com/a.png', 'fit': 'COVER', 'zoom': 'IN'}, 'duration': 3,
               'transition': {'kind': 'FADE', 'duration': 0.5}},
              {'video': {'src': 'asset://abc123', 'trimStart': 1.5, 'volume': 0.8}, 'duration': 4},
              {'text': {'text': 'Hello', 'position': 'CENTER', 'fontSize': 72, 'color': '#FFFFFF'}, 'start': 0.5, 'duration': 3},
              {'shape': {'kind': 'RECTANGLE', 'x': 0, 'y': 0.85, 'width': 1, 'height': 0.15, 'color': '#00000080'}, 'start': 0, 'duration': 9},
              {'audio': {'src': 'https://cdn.example.com/music.mp3', 'volume': 0.3, 'fadeOut': 1}, 'start': 0},
              {'speech': {'text': 'Welcome to the tour', 'voice': 'en'}, 'start': 0.5},
              {'captions': {'source': 'SPEECH', 'style': 'KARAOKE'}}]}
            """, "{'format': 'MP4', 'videoCodec': 'H264', 'quality': 'STANDARD'}");
        Assert.Empty(violations);
    }

    [Fact]
    public void MissingCanvas_IsRequired() =>
        AssertOnly(CanvasValidator.Validate(null, null), "canvas", ErrorReasons.FieldRequired);

    [Theory]
    [InlineData(63, 240, "canvas.width")]
    [InlineData(4098, 240, "canvas.width")]
    [InlineData(321, 240, "canvas.width")]
    [InlineData(320, 5000, "canvas.height")]
    public void Size_MustBeEvenAndInRange(int width, int height, string field) =>
        AssertOnly(Check($"{{'width': {width}, 'height': {height}}}"), field, ErrorReasons.OutOfRange);

    [Fact]
    public void Size_NeedsBothSides() =>
        AssertOnly(Check("{'width': 320}"), "canvas.height", ErrorReasons.FieldRequired);

    [Theory]
    [InlineData(23)]
    [InlineData(29)]
    [InlineData(120)]
    public void Fps_MustBeAStandardRate(int fps) =>
        AssertOnly(Check($"{{'fps': {fps}}}"), "canvas.fps", ErrorReasons.OutOfRange);

    [Fact]
    public void Colors_AreCheckedEverywhere()
    {
        var violations = Check("""
            {'backgroundColor': 'black', 'segments': [
              {'color': {'color': '#12345'}, 'duration': 1},
              {'text': {'text': 'x', 'color': 'rgb(1,2,3)', 'backgroundColor': '#zzzzzz'}},
              {'shape': {'width': 1, 'height': 1, 'color': '#1234567'}}]}
            """);
        Assert.Equal(
            ["canvas.backgroundColor", "canvas.segments[0].color.color", "canvas.segments[1].text.color",
             "canvas.segments[1].text.backgroundColor", "canvas.segments[2].shape.color"],
            violations.Select(v => v.Field));
        Assert.All(violations, v => Assert.Equal(ErrorReasons.InvalidColor, v.Reason));
    }

    [Fact]
    public void SegmentWithoutKind_IsRejected() =>
        AssertOnly(Check("{'segments': [{'duration': 1}]}"), "canvas.segments[0]", ErrorReasons.SegmentKindMissing);

    [Theory]
    [InlineData("'start': -1, 'duration': 1", "canvas.segments[0].start")]
    [InlineData("'start': 'NaN', 'duration': 1", "canvas.segments[0].start")]
    [InlineData("'start': 'Infinity', 'duration': 1", "canvas.segments[0].start")]
    [InlineData("'duration': 0", "canvas.segments[0].duration")]
    [InlineData("'duration': -2", "canvas.segments[0].duration")]
    [InlineData("'duration': 'NaN'", "canvas.segments[0].duration")]
    [InlineData("'duration': '-Infinity'", "canvas.segments[0].duration")]
    public void Timing_MustBeFiniteAndPositive(string timing, string field) =>
        AssertOnly(Check($"{{'segments': [{{'color': {{'color': '#000000'}}, {timing}}}]}}"), field, ErrorReasons.OutOfRange);

    [Theory]
    [InlineData("{'color': {'color': '#000000'}}")]
    [InlineData("{'image': {'src': 'https://a.example/a.png'}}")]
    public void ColorAndImage_NeedADuration(string segment) =>
        AssertOnly(Check($"{{'segments': [{segment}]}}"), "canvas.segments[0].duration", ErrorReasons.FieldRequired);

    [Fact]
    public void VideoWithoutDuration_IsFine() =>
        Assert.Empty(Check("{'segments': [{'video': {'src': 'https://a.example/b.mp4'}}]}"));

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("data:video/mp4;base64,AAAA")]
    [InlineData("ftp://a.example/x.mp4")]
    [InlineData("concat:a.mp4|b.mp4")]
    [InlineData("/etc/passwd")]
    [InlineData("https://")]
    [InlineData("asset://")]
    public void Src_MustBeHttpOrAsset(string src) =>
        AssertOnly(Check($"{{'segments': [{{'video': {{'src': '{src}'}}}}]}}"), "canvas.segments[0].video.src", ErrorReasons.InvalidUrl);

    [Fact]
    public void Src_IsRequired_AndBounded()
    {
        AssertOnly(Check("{'segments': [{'audio': {}}]}"), "canvas.segments[0].audio.src", ErrorReasons.FieldRequired);
        var longUrl = "https://a.example/" + new string('a', 3000);
        AssertOnly(Check($"{{'segments': [{{'audio': {{'src': '{longUrl}'}}}}]}}"), "canvas.segments[0].audio.src", ErrorReasons.TooLong);
    }

    [Theory]
    [InlineData("{'text': ''}", "canvas.segments[0].text.text", ErrorReasons.FieldRequired)]
    [InlineData("{'text': 'a', 'fontSize': 2}", "canvas.segments[0].text.fontSize", ErrorReasons.OutOfRange)]
    [InlineData("{'text': 'a', 'fontSize': 1001}", "canvas.segments[0].text.fontSize", ErrorReasons.OutOfRange)]
    [InlineData("{'text': 'a', 'x': 1.5}", "canvas.segments[0].text.x", ErrorReasons.OutOfRange)]
    [InlineData("{'text': 'a', 'maxWidth': 0}", "canvas.segments[0].text.maxWidth", ErrorReasons.OutOfRange)]
    public void Text_IsChecked(string text, string field, string reason) =>
        AssertOnly(Check($"{{'segments': [{{'text': {text}}}]}}"), field, reason);

    [Fact]
    public void Text_HasALengthCap() =>
        AssertOnly(Check($"{{'segments': [{{'text': {{'text': '{new string('a', 5001)}'}}}}]}}"), "canvas.segments[0].text.text", ErrorReasons.TooLong);

    [Theory]
    [InlineData("'width': 0, 'height': 0.1", "canvas.segments[0].shape.width")]
    [InlineData("'width': 'NaN', 'height': 0.1", "canvas.segments[0].shape.width")]
    [InlineData("'width': 0.5, 'height': 3", "canvas.segments[0].shape.height")]
    [InlineData("'width': 0.5, 'height': 0.5, 'x': 5", "canvas.segments[0].shape.x")]
    public void Shape_FractionsAreSane(string geometry, string field) =>
        AssertOnly(Check($"{{'segments': [{{'shape': {{'color': '#FFFFFF', {geometry}}}}}]}}"), field, ErrorReasons.OutOfRange);

    [Fact]
    public void Transition_OnlyOnBase_AndNonNegative()
    {
        AssertOnly(Check("{'segments': [{'text': {'text': 'a'}, 'transition': {'kind': 'FADE', 'duration': 1}}]}"),
            "canvas.segments[0].transition", ErrorReasons.UnsupportedCombination);
        AssertOnly(Check("{'segments': [{'color': {'color': '#000000'}, 'duration': 1, 'transition': {'duration': -1}}]}"),
            "canvas.segments[0].transition.duration", ErrorReasons.OutOfRange);
    }

    [Theory]
    [InlineData("{'text': ' '}", "canvas.segments[0].speech.text", ErrorReasons.FieldRequired)]
    [InlineData("{'text': 'hi', 'rate': 50}", "canvas.segments[0].speech.rate", ErrorReasons.OutOfRange)]
    [InlineData("{'text': 'hi', 'rate': 500}", "canvas.segments[0].speech.rate", ErrorReasons.OutOfRange)]
    [InlineData("{'text': 'hi', 'voice': '--path=/etc'}", "canvas.segments[0].speech.voice", ErrorReasons.OutOfRange)]
    public void Speech_IsChecked(string speech, string field, string reason) =>
        AssertOnly(Check($"{{'segments': [{{'speech': {speech}}}]}}"), field, reason);

    [Fact]
    public void ExplicitCaptions_NeedWordsEndingAfterTheyStart()
    {
        AssertOnly(Check("{'segments': [{'captions': {'source': 'EXPLICIT'}}]}"), "canvas.segments[0].captions.words", ErrorReasons.FieldRequired);
        AssertOnly(Check("{'segments': [{'captions': {'source': 'EXPLICIT', 'words': [{'text': 'a', 'start': 1, 'end': 2}, {'text': 'b', 'start': 2, 'end': 2}]}}]}"),
            "canvas.segments[0].captions.words[1].end", ErrorReasons.OutOfRange);
    }

    [Theory]
    [InlineData("{'format': 'WEBM', 'videoCodec': 'H264'}", true)]
    [InlineData("{'format': 'MP4', 'videoCodec': 'VP9'}", true)]
    [InlineData("{'videoCodec': 'VP9'}", true)]
    [InlineData("{'format': 'WEBM'}", false)]
    [InlineData("{'format': 'WEBM', 'videoCodec': 'VP9'}", false)]
    [InlineData("{'format': 'MP4', 'videoCodec': 'HEVC'}", false)]
    [InlineData("{'format': 'GIF', 'videoCodec': 'H264'}", false)]
    public void Output_CodecMustFitFormat(string output, bool rejected)
    {
        var violations = Check("{'segments': [{'color': {'color': '#000000'}, 'duration': 1}]}", output);
        if (rejected)
        {
            AssertOnly(violations, "output.videoCodec", ErrorReasons.UnsupportedCombination);
        }
        else
        {
            Assert.Empty(violations);
        }
    }

    // Found by the contract fuzzer: these were accepted, queued, and failed on the node with EMPTY_CANVAS.
    [Theory]
    [InlineData("{}")]
    [InlineData("{'segments': [{'text': {'text': 'title'}}]}")]
    [InlineData("{'segments': [{'captions': {'source': 'SPEECH'}}, {'shape': {'kind': 'RECTANGLE', 'width': 1, 'height': 1, 'color': '#000000'}, 'start': 2}]}")]
    [InlineData("{'segments': [{'image': {'src': 'https://cdn.example.com/logo.png'}, 'layer': {'width': 0.2, 'height': 0.2}}]}")]
    public void Canvas_WithNothingThatCanLast_IsEmpty(string canvas) =>
        AssertOnly(Check(canvas), "canvas.segments", ErrorReasons.EmptyCanvas);

    [Theory]
    [InlineData("{'segments': [{'text': {'text': 'title'}, 'duration': 1}]}")]
    [InlineData("{'segments': [{'video': {'src': 'https://cdn.example.com/a.mp4'}}]}")]
    [InlineData("{'segments': [{'audio': {'src': 'https://cdn.example.com/a.mp3'}}, {'text': {'text': 'title'}}]}")]
    [InlineData("{'segments': [{'speech': {'text': 'hello'}}, {'captions': {'source': 'SPEECH'}}]}")]
    [InlineData("{'segments': [{'video': {'src': 'https://cdn.example.com/a.mp4'}, 'layer': {'width': 0.2, 'height': 0.2}}]}")]
    public void Canvas_WithADurationOrTimedMedia_IsNotEmpty(string canvas) =>
        Assert.Empty(Check(canvas));

    // Found by the contract fuzzer: a 60 fps GIF rendered, but its 1/60 s delays play as a tenth of a second.
    [Theory]
    [InlineData(60, true)]
    [InlineData(30, false)]
    [InlineData(25, false)]
    [InlineData(24, false)]
    [InlineData(0, false)]
    public void Gif_IsRefusedAboveFiftyFps(int fps, bool rejected)
    {
        var violations = Check($"{{'fps': {fps}, 'segments': [{{'color': {{'color': '#000000'}}, 'duration': 1}}]}}", "{'format': 'GIF'}");
        if (rejected)
        {
            AssertOnly(violations, "output.format", ErrorReasons.UnsupportedCombination);
        }
        else
        {
            Assert.Empty(violations);
        }
    }

    // Found by the contract fuzzer: the GIF rule read the frame, whose invalid background color threw.
    [Fact]
    public void GifRule_OnACanvasWithAnInvalidBackground_ReportsBoth_NeverThrows() =>
        Assert.Equal([("canvas.backgroundColor", ErrorReasons.InvalidColor), ("output.format", ErrorReasons.UnsupportedCombination)],
            Check("{'fps': 60, 'backgroundColor': 'red', 'segments': [{'color': {'color': '#000000'}, 'duration': 1}]}", "{'format': 'GIF'}")
                .Select(v => (v.Field, v.Reason)));

    [Fact]
    public void GlobalCaps_SegmentsAndDuration()
    {
        var many = string.Join(",", Enumerable.Repeat("{'color': {'color': '#000000'}, 'duration': 1}", 501));
        AssertOnly(Check($"{{'segments': [{many}]}}"), "canvas.segments", ErrorReasons.LimitExceeded);
        var longOnes = string.Join(",", Enumerable.Repeat("{'color': {'color': '#000000'}, 'duration': 3600}", 4));
        AssertOnly(Check($"{{'segments': [{longOnes}]}}"), "canvas.segments", ErrorReasons.LimitExceeded);
    }
}
