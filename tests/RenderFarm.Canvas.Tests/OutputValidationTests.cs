using RenderFarm.Contracts;

namespace RenderFarm.CanvasModel.Tests;

/// <summary>Output formats, stills, posters and sidecars: refused with a field path and reason, or clamped with a warning.</summary>
public sealed class OutputValidationTests
{
    // Three seconds at 25 fps, all known to the plan.
    private const string ThreeSeconds = "{'fps': 25, 'segments': [{'color': {'color': '#FF0000'}, 'duration': 3}]}";

    // A video without a duration: its length is known only once a node probes it.
    private const string UnknownLength = "{'fps': 25, 'segments': [{'video': {'src': 'https://cdn.example.com/a.mp4'}}]}";

    private static List<(string Field, string Reason)> Check(string output, string canvas = ThreeSeconds) =>
        [.. CanvasValidator.Validate(Json.Canvas(canvas), Json.Output(output)).Select(v => (v.Field, v.Reason))];

    [Theory]
    [InlineData("{'format': 'MP3'}")]
    [InlineData("{'format': 'WAV', 'sidecars': ['SRT', 'VTT', 'TRANSCRIPT_JSON']}")]
    [InlineData("{'format': 'PNG', 'stillTimes': [0, 1.5, 3]}")]
    [InlineData("{'format': 'JPEG', 'stillTimes': [2.99]}")]
    [InlineData("{'format': 'MP4', 'stillTimes': [0.5], 'posterTime': 2, 'sidecars': ['SRT']}")]
    [InlineData("{'format': 'GIF', 'posterTime': 0}")]
    public void GoodOutputs_AreValid(string output) => Assert.Empty(Check(output));

    [Theory]
    [InlineData("{'format': 'MP4', 'stillTimes': [1, 3.5]}", "output.stillTimes[1]", ErrorReasons.StillTimeOutOfRange)]
    [InlineData("{'format': 'PNG', 'stillTimes': [-0.5]}", "output.stillTimes[0]", ErrorReasons.OutOfRange)]
    [InlineData("{'posterTime': 4}", "output.posterTime", ErrorReasons.StillTimeOutOfRange)]
    [InlineData("{'posterTime': 'NaN'}", "output.posterTime", ErrorReasons.OutOfRange)]
    [InlineData("{'format': 'PNG'}", "output.stillTimes", ErrorReasons.FieldRequired)]
    [InlineData("{'format': 'MP3', 'stillTimes': [1]}", "output.stillTimes", ErrorReasons.OutputFormatMismatch)]
    [InlineData("{'format': 'WAV', 'poster': true}", "output.poster", ErrorReasons.OutputFormatMismatch)]
    [InlineData("{'format': 'MP3', 'posterTime': 1}", "output.posterTime", ErrorReasons.OutputFormatMismatch)]
    [InlineData("{'format': 'JPEG', 'stillTimes': [1], 'videoCodec': 'H264'}", "output.videoCodec", ErrorReasons.OutputFormatMismatch)]
    [InlineData("{'format': 'PNG', 'stillTimes': [1], 'posterTime': 1}", "output.posterTime", ErrorReasons.OutputFormatMismatch)]
    [InlineData("{'sidecars': ['SRT', 'VTT', 'SRT']}", "output.sidecars[2]", ErrorReasons.DuplicateValue)]
    [InlineData("{'sidecars': ['SIDECAR_UNSPECIFIED']}", "output.sidecars[0]", ErrorReasons.InvalidEnum)]
    public void BadOutputs_NameTheFieldAndReason(string output, string field, string reason) =>
        Assert.Equal([(field, reason)], Check(output));

    [Fact]
    public void TooManyStills_AreRefused()
    {
        var times = string.Join(", ", Enumerable.Range(0, CanvasLimits.MaxStills + 1).Select(i => (i * 0.1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal([("output.stillTimes", ErrorReasons.TooManyStills)], Check($"{{'format': 'PNG', 'stillTimes': [{times}]}}"));
    }

    [Fact]
    public void StillTimes_PastAGuessedEnd_AreLeftToTheNode_WithAWarning()
    {
        Assert.Empty(Check("{'stillTimes': [60]}", UnknownLength));
        var plan = CanvasPlanner.Plan(Json.Canvas(UnknownLength), Json.Output("{'stillTimes': [1, 60]}"));
        var warning = Assert.Single(plan.Warnings, w => w.Code == PlanWarnings.StillTimeClamped);
        Assert.Equal("output.stillTimes[1]", warning.Path);
    }

    [Fact]
    public void AStillAtTheVeryEnd_IsClampedToTheLastFrame_WithAWarning()
    {
        var plan = CanvasPlanner.Plan(Json.Canvas(ThreeSeconds), Json.Output("{'stillTimes': [2.98, 3], 'posterTime': 1}"));
        var warning = Assert.Single(plan.Warnings);
        Assert.Equal((PlanWarnings.StillTimeClamped, "output.stillTimes[1]"), (warning.Code, warning.Path));
        Assert.Equal((74, true), OutputTiming.FrameAt(3, 3, 25));
        Assert.Equal((74, false), OutputTiming.FrameAt(2.98, 3, 25));
    }
}
