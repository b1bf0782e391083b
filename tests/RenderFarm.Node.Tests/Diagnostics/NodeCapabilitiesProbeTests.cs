using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RenderFarm.Node.Diagnostics;

namespace RenderFarm.Node.Tests.Diagnostics;

// The fake tools are shell scripts.
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class NodeCapabilitiesProbeTests : IDisposable
{
    private readonly string _tools = Path.Combine(Path.GetTempPath(), "rf-caps-tests", Guid.NewGuid().ToString("N"));

    public NodeCapabilitiesProbeTests() => Directory.CreateDirectory(_tools);

    public void Dispose() => Directory.Delete(_tools, recursive: true);

    [Fact]
    public async Task RealProbe_FindsLibx264ByTestEncode_NotNvencWithoutGpu()
    {
        var capabilities = await Probe(new NodeCapabilitiesOptions()).GetAsync(CancellationToken.None);

        Assert.Contains("libx264", capabilities.Encoders);
        Assert.DoesNotContain("h264_nvenc", capabilities.Encoders);
        Assert.True(capabilities.CpuCores > 0);
        Assert.True(capabilities.MemoryBytes > 0);
        Assert.Matches(@"^\d+\.\d+", capabilities.FfmpegVersion);
        if (!File.Exists("/usr/bin/nvidia-smi") && HostFacts.NvidiaDevices("/dev").Count == 0)
        {
            Assert.Empty(capabilities.Gpus);
        }
    }

    [Fact]
    public async Task Result_IsCachedPerProcess_AndReturnedAsCopies()
    {
        var log = Path.Combine(_tools, "calls");
        var ffmpeg = Script("ffmpeg", $"echo run >> '{log}'\necho 'ffmpeg version 9.9 Copyright'\nexit 0");
        var probe = Probe(new NodeCapabilitiesOptions { FfmpegPath = ffmpeg, CandidateEncoders = ["libx264", "libx265"] });

        var first = await probe.GetAsync(CancellationToken.None);
        first.Encoders.Clear();
        var second = await probe.GetAsync(CancellationToken.None);

        Assert.Equal(["libx264", "libx265"], second.Encoders);
        Assert.Equal("9.9", second.FfmpegVersion);
        Assert.Equal(3, File.ReadAllLines(log).Length);
    }

    [Fact]
    public async Task NvidiaSmi_IsParsed_WhenItSucceeds()
    {
        var smi = Script("nvidia-smi", "echo 'NVIDIA H100 80GB HBM3, 81559'\necho 'NVIDIA A10G, 23028'");

        var capabilities = await Probe(new NodeCapabilitiesOptions { NvidiaSmiPath = smi, CandidateEncoders = ["libx264"] })
            .GetAsync(CancellationToken.None);

        Assert.Equal(2, capabilities.Gpus.Count);
        Assert.Equal("NVIDIA H100 80GB HBM3", capabilities.Gpus[0].Name);
        Assert.Equal(81559L * 1024 * 1024, capabilities.Gpus[0].MemoryBytes);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("failing")]
    public async Task NvidiaSmi_AbsentOrFailing_MeansNoGpus(string kind)
    {
        var smi = kind == "missing" ? Path.Combine(_tools, "no-such-tool") : Script("nvidia-smi", "echo 'NVIDIA-SMI has failed' >&2\nexit 9");

        var capabilities = await Probe(new NodeCapabilitiesOptions { NvidiaSmiPath = smi, CandidateEncoders = ["libx264"], DeviceDirectory = _tools })
            .GetAsync(CancellationToken.None);

        Assert.Empty(capabilities.Gpus);
    }

    [Fact]
    public async Task GpuDeviceFiles_CountAsGpus_WhenNvidiaSmiIsMissing()
    {
        var dev = Directory.CreateDirectory(Path.Combine(_tools, "dev")).FullName;
        foreach (var name in new[] { "nvidia0", "nvidia1", "nvidiactl", "nvidia-uvm", "null" })
        {
            File.WriteAllText(Path.Combine(dev, name), "");
        }

        var capabilities = await Probe(new NodeCapabilitiesOptions { NvidiaSmiPath = Path.Combine(_tools, "none"), CandidateEncoders = ["libx264"], DeviceDirectory = dev })
            .GetAsync(CancellationToken.None);

        Assert.Equal([$"NVIDIA GPU ({dev}/nvidia0)", $"NVIDIA GPU ({dev}/nvidia1)"], capabilities.Gpus.Select(g => g.Name));
        Assert.Empty(HostFacts.NvidiaDevices(Path.Combine(_tools, "no-such-dir")));
    }

    [Fact]
    public async Task HangingEncoder_IsKilledAtTimeout_AndNotAnnounced()
    {
        var ffmpeg = Script("ffmpeg", "sleep 60");
        var watch = Stopwatch.StartNew();

        var capabilities = await Probe(new NodeCapabilitiesOptions
        {
            FfmpegPath = ffmpeg, NvidiaSmiPath = Path.Combine(_tools, "none"), ProbeTimeout = TimeSpan.FromSeconds(1), CandidateEncoders = ["libx264"],
        }).GetAsync(CancellationToken.None);

        Assert.Empty(capabilities.Encoders);
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task GpuPath_WithAGpuSeen_IsCheckedByARealRun_ThatFailsCleanlyWithoutCuda()
    {
        var smi = Script("nvidia-smi", "echo 'NVIDIA H200, 143771'");

        var capabilities = await Probe(new NodeCapabilitiesOptions { NvidiaSmiPath = smi, CandidateEncoders = ["libx264"] })
            .GetAsync(CancellationToken.None);

        Assert.Single(capabilities.Gpus);
        Assert.Contains("libx264", capabilities.Encoders);
        if (HostFacts.NvidiaDevices("/dev").Count == 0)
        {
            Assert.Empty(capabilities.GpuDecoders);
        }
        else
        {
            Assert.Contains("h264", capabilities.GpuDecoders);
        }
    }

    [Theory]
    [InlineData(GpuDecodeMode.Off, new string[0])]
    [InlineData(GpuDecodeMode.On, new[] { "h264", "hevc" })]
    public async Task GpuPath_ForcedOffOrOn_RunsNoCheck(GpuDecodeMode mode, string[] announced)
    {
        var log = Path.Combine(_tools, "calls");
        var ffmpeg = Script("ffmpeg", $"echo \"$*\" >> '{log}'\nexit 0");
        var smi = Script("nvidia-smi", "echo 'NVIDIA H200, 143771'");

        var capabilities = await Probe(new NodeCapabilitiesOptions { FfmpegPath = ffmpeg, NvidiaSmiPath = smi, CandidateEncoders = ["libx264"], GpuDecode = mode })
            .GetAsync(CancellationToken.None);

        Assert.Equal(announced, capabilities.GpuDecoders);
        Assert.DoesNotContain(File.ReadAllLines(log), l => l.Contains("hwaccel", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GpuPath_IsAnnouncedForTheCodecsWhoseRunSucceeds()
    {
        // An ffmpeg whose hevc decode fails: only h264 is announced.
        var ffmpeg = Script("ffmpeg", "case \"$*\" in *hwaccel*hevc.mkv*) echo 'Device creation failed' >&2; exit 1;; esac\nexit 0");
        var smi = Script("nvidia-smi", "echo 'NVIDIA H200, 143771'");

        var capabilities = await Probe(new NodeCapabilitiesOptions { FfmpegPath = ffmpeg, NvidiaSmiPath = smi, CandidateEncoders = ["libx264"] })
            .GetAsync(CancellationToken.None);

        Assert.Equal(["h264"], capabilities.GpuDecoders);
    }

    [Fact]
    public void Parsers_ReadToolOutput()
    {
        Assert.Equal("5.1.9-0+deb12u1", HostFacts.ParseFfmpegVersion("ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026\nbuilt with gcc"));
        Assert.Equal("n7.1", HostFacts.ParseFfmpegVersion("ffmpeg version n7.1"));
        Assert.Empty(HostFacts.ParseNvidiaSmi("\n"));
        var meminfo = Path.Combine(_tools, "meminfo");
        File.WriteAllText(meminfo, "MemTotal:       16318412 kB\nMemFree:  1 kB\n");
        Assert.Equal(16318412L * 1024, HostFacts.MemoryBytes(meminfo));
        Assert.True(HostFacts.MemoryBytes(Path.Combine(_tools, "absent")) > 0);
    }

    private static NodeCapabilitiesProbe Probe(NodeCapabilitiesOptions options) =>
        new(Options.Create(options), TimeProvider.System, NullLogger<NodeCapabilitiesProbe>.Instance);

    private string Script(string name, string body)
    {
        var path = Path.Combine(_tools, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
