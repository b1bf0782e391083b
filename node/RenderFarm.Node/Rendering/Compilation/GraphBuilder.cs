using System.Text.RegularExpressions;
using RenderFarm.Node.Media;

namespace RenderFarm.Node.Rendering.Compilation;

/// <summary>Collects inputs, filter chains and side files while a canvas is compiled.</summary>
/// <param name="scratchDirectory">Where side files go.</param>
/// <param name="gpu">The node's GPU path, or null for a graph that runs on the CPU alone.</param>
internal sealed partial class GraphBuilder(string scratchDirectory, GpuDecoding? gpu = null)
{
    private readonly List<string> _chains = [];
    private int _labels;

    public List<RenderInput> Inputs { get; } = [];

    public Dictionary<string, string> TextFiles { get; } = [];

    public string NewLabel(string prefix) => $"{prefix}{_labels++}";

    public void Add(string chain) => _chains.Add(chain);

    /// <summary>
    /// The frames [From, To) of the video this graph must make (a chunk of a chunked production), or
    /// null for all of them. Anything shown only outside it is left out, and the picture starts at
    /// <see cref="FrameOrigin"/>, the first frame of the first piece the window needs.
    /// </summary>
    public (long From, long To)? Window { get; init; }

    /// <summary>
    /// The absolute frame number of the picture's first frame: 0 for a whole render; for a window,
    /// where its base track starts (timestamps stay absolute, so t-based expressions hold; frame
    /// counters such as overlay's n count from here).
    /// </summary>
    public long FrameOrigin { get; set; }

    /// <summary>Whether frames [first, first + count) show at all in the window.</summary>
    public bool Shows(long first, long count) => Window is not { } w || (first + count > w.From && first < w.To);

    // While another picture of the same canvas is compiled (a rendition), its inputs are the first
    // picture's, met again in the same order: they are shared, so FFmpeg decodes each source once
    // and feeds its frames to every picture. One that differs is added as its own input.
    private int _shared;
    private int _cursor;

    public int AddInput(RenderInput input)
    {
        if (_cursor < _shared && Inputs[_cursor] == input)
        {
            return _cursor++;
        }

        Inputs.Add(input);
        return Inputs.Count - 1;
    }

    /// <summary>Starts compiling another picture of the same canvas: its inputs reuse those added so far.</summary>
    public void SharePicture() => (_shared, _cursor) = (Inputs.Count, 0);

    /// <summary>A file in the scratch directory holding <paramref name="content"/>; its name is ours, never the user's.</summary>
    public string AddTextFile(string content, string extension = "txt")
    {
        var path = Path.Combine(scratchDirectory, $"text{TextFiles.Count}.{extension}");
        TextFiles[path] = content;
        return path;
    }

    // The GPU path, decided per input once the whole graph is known: an input is decoded on the
    // GPU only when every chain that reads its picture scales it first (Video with its media), so
    // no CPU filter ever meets a GPU frame. Until then each scale is a placeholder.
    private readonly HashSet<int> _gpuCandidates = [];
    private readonly HashSet<int> _cpuReaders = [];
    private readonly List<(int Input, string Gpu, string Cpu)> _scales = [];

    /// <summary>The head <c>[N:v]</c> of a chain that reads input <paramref name="input"/>'s picture on the CPU.</summary>
    public string Video(int input)
    {
        _cpuReaders.Add(input);
        return $"[{input}:v]";
    }

    /// <summary>
    /// The head of a chain that scales <paramref name="input"/>'s picture (<see cref="Scale"/>)
    /// before any filter but those that only retime frames (null, setpts, fps); on the GPU where
    /// the node decodes <paramref name="media"/> there.
    /// </summary>
    public string Video(int input, LocalMedia media)
    {
        if (gpu?.Decodes(media) == true)
        {
            _gpuCandidates.Add(input);
            return $"[{input}:v]";
        }
        return Video(input);
    }

    /// <summary>The scale of <paramref name="input"/>'s picture in a chain headed by <see cref="Video(int, LocalMedia)"/>.</summary>
    public string Scale(int input, int width, int height, string? aspect) =>
        Placed(input, GpuDecoding.Scale(width, height, aspect), GpuDecoding.CpuScale(width, height, aspect));

    /// <summary>
    /// Filters that start <paramref name="input"/>'s chain, in two forms: <paramref name="onGpu"/>
    /// (starting with its scale_cuda) where the input is decoded on the GPU, else <paramref name="onCpu"/>.
    /// </summary>
    public string Placed(int input, string onGpu, string onCpu)
    {
        if (gpu is null)
        {
            return onCpu;
        }
        _scales.Add((input, onGpu, onCpu));
        return $"\u0001{_scales.Count - 1}\u0001";
    }

    private bool OnGpu(int input) => _gpuCandidates.Contains(input) && !_cpuReaders.Contains(input);

    /// <summary>The inputs, those decoded on the GPU marked so.</summary>
    public IReadOnlyList<RenderInput> DecodedInputs() =>
        gpu is null ? Inputs : [.. Inputs.Select((input, i) => OnGpu(i) ? input with { Cuda = true } : input)];

    public string Script()
    {
        var script = string.Join(";\n", _chains) + "\n";
        return _scales.Count == 0 ? script : ScalePlaceholder().Replace(script, m =>
        {
            var (input, onGpu, onCpu) = _scales[int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)];
            return OnGpu(input) ? onGpu : onCpu;
        });
    }

    [GeneratedRegex("\u0001([0-9]+)\u0001")]
    private static partial Regex ScalePlaceholder();
}
