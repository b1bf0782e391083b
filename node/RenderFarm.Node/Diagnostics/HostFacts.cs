using System.Globalization;
using RenderFarm.Contracts.V1;

namespace RenderFarm.Node.Diagnostics;

/// <summary>Parsers for what the OS and tools say about the machine.</summary>
internal static class HostFacts
{
    /// <summary>The NVIDIA GPU device files (nvidia0, nvidia1, …; not nvidiactl or nvidia-uvm) under <paramref name="directory"/>.</summary>
    public static IReadOnlyList<string> NvidiaDevices(string directory)
    {
        try
        {
            return [.. Directory.EnumerateFileSystemEntries(directory, "nvidia*")
                .Where(p => Path.GetFileName(p)["nvidia".Length..] is { Length: > 0 } n && n.All(char.IsAsciiDigit))
                .Order(StringComparer.Ordinal)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>MemTotal from /proc/meminfo in bytes, or the runtime's view of available memory.</summary>
    public static long MemoryBytes(string meminfoPath = "/proc/meminfo")
    {
        try
        {
            foreach (var line in File.ReadLines(meminfoPath))
            {
                if (line.StartsWith("MemTotal:", StringComparison.Ordinal)
                    && long.TryParse(line["MemTotal:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(),
                        NumberStyles.None, CultureInfo.InvariantCulture, out var kib))
                {
                    return kib * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }

    /// <summary>GPUs from <c>nvidia-smi --query-gpu=name,memory.total --format=csv,noheader,nounits</c> (memory in MiB).</summary>
    public static List<Gpu> ParseNvidiaSmi(string csv)
    {
        var gpus = new List<Gpu>();
        foreach (var line in csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var comma = line.LastIndexOf(',');
            var name = (comma < 0 ? line : line[..comma]).Trim();
            if (name.Length == 0)
            {
                continue;
            }
            var mib = comma >= 0 && long.TryParse(line[(comma + 1)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : 0;
            gpus.Add(new Gpu { Name = name, MemoryBytes = mib * 1024 * 1024 });
        }
        return gpus;
    }

    /// <summary>"5.1.9-0+deb12u1" from the first line of <c>ffmpeg -version</c>.</summary>
    public static string ParseFfmpegVersion(string output)
    {
        var first = output.Split('\n', 2)[0].Trim();
        const string Prefix = "ffmpeg version ";
        if (!first.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return first;
        }
        var rest = first[Prefix.Length..];
        var space = rest.IndexOf(' ');
        return space < 0 ? rest : rest[..space];
    }
}
