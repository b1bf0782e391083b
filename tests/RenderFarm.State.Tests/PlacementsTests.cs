using RenderFarm.Contracts.V1;

namespace RenderFarm.State.Tests;

public sealed class PlacementsTests
{
    [Fact]
    public void SamePlacement_InAnyOrder_IsOneClass_AndNoPlacementIsTheDefaultClass()
    {
        var a = new Placement { Required = new NodeRequirements { Gpu = true, Encoders = { "hevc_nvenc", "h264_nvenc" }, Labels = { ["pool"] = "a", ["zone"] = "x" } } };
        var b = new Placement { Required = new NodeRequirements { Gpu = true, Encoders = { "h264_nvenc", "hevc_nvenc", "h264_nvenc" }, Labels = { ["zone"] = "x", ["pool"] = "a" } } };
        Assert.Equal(Placements.ClassOf(a), Placements.ClassOf(b));
        Assert.Equal("""{"r":{"gpu":true,"enc":["h264_nvenc","hevc_nvenc"],"lab":{"pool":"a","zone":"x"}}}""", Placements.ClassOf(a).Json);
        Assert.NotEqual(Placements.ClassOf(a).Id, Placements.ClassOf(new Placement { Preferred = a.Required }).Id);
        Assert.Equal(Placements.NoneClass, Placements.ClassOf(null).Id);
        Assert.Equal(Placements.NoneClass, Placements.ClassOf(new Placement { Required = new NodeRequirements() }).Id);
    }

    [Fact]
    public void WaitingStage_NamesWhatTheProductionWaitsFor()
    {
        var placement = new Placement { Required = new NodeRequirements { Gpu = true, Encoders = { "h264_nvenc" }, Labels = { ["pool"] = "gpu-a" } } };
        Assert.Equal("waiting for a node with gpu, encoder h264_nvenc, label pool=gpu-a", Placements.WaitingStage(placement));
        Assert.Equal("queued", Placements.WaitingStage(new Placement { Preferred = placement.Required }));
    }
}
