using RenderFarm.Node.Media;

namespace RenderFarm.Node.Tests.Media;

public sealed class ProbeResultParserTests
{
    [Theory]
    [InlineData("""[{"rotation": -90}]""", null, 90)]
    [InlineData("""[{"rotation": 90}]""", null, 270)]
    [InlineData("""[{"rotation": 180}]""", null, 180)]
    [InlineData("""[{"rotation": -180}]""", null, 180)]
    [InlineData(null, "90", 90)]
    [InlineData(null, "-90", 270)]
    [InlineData(null, null, 0)]
    public void Rotation_IsNormalizedToClockwiseQuarterTurns(string? sideData, string? rotateTag, int expected)
    {
        var stream = $$"""{"codec_type":"video","width":640,"height":360,"avg_frame_rate":"30000/1001"{{(sideData is null ? "" : $",\"side_data_list\":{sideData}")}}{{(rotateTag is null ? "" : $",\"tags\":{{\"rotate\":\"{rotateTag}\"}}")}}}""";

        var media = ProbeResultParser.Parse(Json("mov,mp4,m4a,3gp,3g2,mj2", "12.5", stream), "/x");

        Assert.Equal(expected, media.Rotation);
        Assert.Equal("mov", media.Format);
        Assert.Equal(29.97, media.Fps, 2);
        Assert.Equal(12.5, media.Duration);
    }

    [Fact]
    public void AttachedPicture_IsNotVideo()
    {
        var media = ProbeResultParser.Parse(Json("mp3", "3.0",
            """{"codec_type":"audio"}""", """{"codec_type":"video","width":500,"height":500,"disposition":{"attached_pic":1}}"""), "/x");

        Assert.False(media.HasVideo);
        Assert.True(media.HasAudio);
        Assert.Equal(0, media.Width);
    }

    [Fact]
    public void Image2_BecomesThePipeDemuxer()
    {
        var media = ProbeResultParser.Parse(Json("image2", "0.04", """{"codec_type":"video","codec_name":"mjpeg","width":8,"height":8}"""), "/x");

        Assert.Equal("jpeg_pipe", media.Format);
        Assert.True(media.IsImage);
        Assert.Null(media.Duration);
    }

    [Theory]
    [InlineData("hls")]
    [InlineData("concat")]
    [InlineData("tty")]
    [InlineData("")]
    public void ContainersOutsideTheAllowList_AreUnsupported(string format)
    {
        var error = Assert.Throws<MediaException>(() =>
            ProbeResultParser.Parse(Json(format, "1", """{"codec_type":"video","width":8,"height":8}"""), "/x"));
        Assert.Equal("MEDIA_UNSUPPORTED", error.Code);
    }

    private static string Json(string formatName, string duration, params string[] streams) =>
        "{\"streams\":[" + string.Join(',', streams) + "],\"format\":{\"format_name\":\"" + formatName + "\",\"duration\":\"" + duration + "\"}}";
}
