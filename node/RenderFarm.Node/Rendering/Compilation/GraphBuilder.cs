namespace RenderFarm.Node.Rendering.Compilation;

/// <summary>Collects inputs, filter chains and side files while a canvas is compiled.</summary>
internal sealed class GraphBuilder(string scratchDirectory)
{
    private readonly List<string> _chains = [];
    private int _labels;

    public List<RenderInput> Inputs { get; } = [];

    public Dictionary<string, string> TextFiles { get; } = [];

    public string NewLabel(string prefix) => $"{prefix}{_labels++}";

    public void Add(string chain) => _chains.Add(chain);

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

    public string Script() => string.Join(";\n", _chains) + "\n";
}
