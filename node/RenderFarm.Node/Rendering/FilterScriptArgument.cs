using FFMpegCore;
using FFMpegCore.Arguments;

namespace RenderFarm.Node.Rendering;

/// <summary>
/// <c>-filter_complex_script FILE</c>, placed first on the command line. It is modelled as an
/// input argument because FFMpegCore needs one to start a command and a canvas may have no media.
/// </summary>
internal sealed class FilterScriptArgument(string scriptPath) : IInputArgument
{
    public string Text => $"-filter_complex_script \"{scriptPath}\"";

    public void Pre(FFOptions ffOptions)
    {
        if (!File.Exists(scriptPath))
        {
            throw new FileNotFoundException("Filter script missing.", scriptPath);
        }
    }

    public Task During(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public void Post()
    {
    }
}
