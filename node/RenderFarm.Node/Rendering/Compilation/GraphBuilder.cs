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

    public int AddInput(RenderInput input)
    {
        Inputs.Add(input);
        return Inputs.Count - 1;
    }

    /// <summary>A file in the scratch directory holding <paramref name="content"/>; its name is ours, never the user's.</summary>
    public string AddTextFile(string content, string extension = "txt")
    {
        var path = Path.Combine(scratchDirectory, $"text{TextFiles.Count}.{extension}");
        TextFiles[path] = content;
        return path;
    }

    public string Script() => string.Join(";\n", _chains) + "\n";
}
