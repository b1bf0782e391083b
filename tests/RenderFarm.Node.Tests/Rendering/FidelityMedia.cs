namespace RenderFarm.Node.Tests.Rendering;

/// <summary>
/// The media of the fidelity tests, made with ffmpeg lavfi at test time into a <see cref="TestMedia"/>
/// folder (so <see cref="RenderHarness"/> serves them as https://media.test/{name}).
/// </summary>
public sealed class FidelityMedia : IDisposable
{
    public FidelityMedia()
    {
        // Transparent left half whose hidden color is black: a renderer that drops alpha shows black there.
        Media.Make("alpha.png", "-f lavfi -i \"color=c=red:s=200x100,format=rgba,geq=r='if(lt(X,100),0,255)':g=0:b=0:a='if(lt(X,100),0,255)'\" -frames:v 1");
        Media.Make("blue.jpg", "-f lavfi -i color=c=blue:s=200x100 -frames:v 1");
        Media.Make("yellow.webp", "-f lavfi -i color=c=yellow:s=200x100 -frames:v 1 -c:v libwebp");
        Media.Make("tiny.png", "-f lavfi -i color=c=magenta:s=16x16 -frames:v 1");
        Media.Make("huge.png", "-f lavfi -i color=c=cyan:s=4000x3000 -frames:v 1");
        // A white 40x40 square in the middle of black, to follow zoom and pan.
        Media.Make("marker.png", "-f lavfi -i color=c=black:s=320x240,drawbox=x=140:y=100:w=40:h=40:c=white:t=fill -frames:v 1");
        // Odd width and height need 4:4:4 in H.264.
        Media.Make("odd.mp4", "-f lavfi -i testsrc=size=1001x333:rate=25:duration=1 -c:v libx264 -preset ultrafast -pix_fmt yuv444p");
        // Fine vertical stripes: sharp, so a blur shows as lost contrast.
        Media.Make("stripes.mp4", "-f lavfi -i \"color=c=black:s=160x240:r=25:d=1,geq=lum='if(mod(floor(X/2),2),235,16)':cb=128:cr=128\" -c:v libx264 -preset ultrafast -pix_fmt yuv444p -qp 0");
        // Frames dropped irregularly, timestamps kept: variable frame rate, 2 s long.
        Media.Make("vfr.mp4", "-f lavfi -i testsrc=size=160x120:rate=30:duration=2 -vf \"select='not(eq(mod(n,5),1))*not(eq(mod(n,7),3))'\" -fps_mode vfr -c:v libx264 -preset ultrafast -pix_fmt yuv420p");
        // Black, then white from 1 s on; silent, then a 1 kHz beep from 1 s on: the flash and the beep coincide.
        Media.Make("sync.mp4", "-f lavfi -i \"color=c=black:s=160x120:r=25:d=2,drawbox=c=white:t=fill:enable='gte(t,1)'\" "
            + "-f lavfi -i \"sine=frequency=1000:sample_rate=48000:duration=2,volume=volume=0:enable='lt(t,1)'\" -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac");
        // The same, with the sound stream starting 0.8 s after the picture (its beep still at 1 s).
        Media.Make("late.mp4", "-f lavfi -i \"color=c=black:s=160x120:r=25:d=2,drawbox=c=white:t=fill:enable='gte(t,1)'\" -itsoffset 0.8 "
            + "-f lavfi -i \"sine=frequency=1000:sample_rate=48000:duration=1.2,volume=volume=0:enable='lt(t,0.2)'\" -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac");
        Media.Make("lead.wav", "-f lavfi -i \"sine=frequency=1000:duration=2,volume=volume=0:enable='lt(t,1)'\"");
        Media.Make("beep.wav", "-f lavfi -i sine=frequency=1000:duration=1");
        Media.Make("noise.mp4", "-f lavfi -i \"nullsrc=s=160x120:r=25:d=1,geq=lum='random(1)*255':cb=128:cr=128\" -c:v libx264 -preset ultrafast -qp 0 -pix_fmt yuv420p");
    }

    public TestMedia Media { get; } = new();

    public void Dispose() => Media.Dispose();
}
