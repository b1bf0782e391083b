namespace RenderFarm.Testing;

/// <summary>The repository the tests run from.</summary>
public static class Repo
{
    /// <summary>The folder holding RenderFarm.sln, above the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RenderFarm.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("RenderFarm.sln not found above the test binaries");
    }
}
