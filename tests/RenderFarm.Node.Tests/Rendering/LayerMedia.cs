namespace RenderFarm.Node.Tests.Rendering;

/// <summary>The media of the layer tests, made with ffmpeg lavfi (served as https://media.test/{name}).</summary>
public sealed class LayerMedia : IDisposable
{
    public LayerMedia()
    {
        // An asymmetric logo: red left half, blue right half, to see which way it turned.
        Media.Make("halves.png", "-f lavfi -i \"color=c=red:s=40x40,drawbox=x=20:y=0:w=20:h=40:c=blue:t=fill\" -frames:v 1");
        // Black, then white from 1 s on, with a 1 kHz tone throughout: 2 s.
        // Green screen with a red 40x40 square in its middle, 1 s.
        Media.Make("greenscreen.mp4", "-f lavfi -i \"color=c=0x00FF00:s=160x120:r=25:d=1,drawbox=x=60:y=40:w=40:h=40:c=red:t=fill\" -c:v libx264 -preset ultrafast -qp 0 -pix_fmt yuv444p");
        // A screenshot-like still: a white 40x40 square in the middle of black, to follow a zoom.
        Media.Make("marker.png", "-f lavfi -i color=c=black:s=320x240,drawbox=x=140:y=100:w=40:h=40:c=white:t=fill -frames:v 1");
        Media.Make("flash.mp4", "-f lavfi -i \"color=c=black:s=64x64:r=25:d=2,drawbox=c=white:t=fill:enable='gte(t,1)'\" "
            + "-f lavfi -i \"sine=frequency=1000:sample_rate=48000:duration=2\" -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac");
    }

    public TestMedia Media { get; } = new();

    public void Dispose() => Media.Dispose();
}
