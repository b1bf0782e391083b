namespace RenderFarm.Node.Tests.Rendering;

/// <summary>The media of the layer tests, made with ffmpeg lavfi (served as https://media.test/{name}).</summary>
public sealed class LayerMedia : IDisposable
{
    public LayerMedia()
    {
        // An asymmetric logo: red left half, blue right half, to see which way it turned.
        Media.Make("halves.png", "-f lavfi -i \"color=c=red:s=40x40,drawbox=x=20:y=0:w=20:h=40:c=blue:t=fill\" -frames:v 1");
        // Black, then white from 1 s on, with a 1 kHz tone throughout: 2 s.
        Media.Make("flash.mp4", "-f lavfi -i \"color=c=black:s=64x64:r=25:d=2,drawbox=c=white:t=fill:enable='gte(t,1)'\" "
            + "-f lavfi -i \"sine=frequency=1000:sample_rate=48000:duration=2\" -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac");
    }

    public TestMedia Media { get; } = new();

    public void Dispose() => Media.Dispose();
}
