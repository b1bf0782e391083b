using RenderFarm.Facade.OpenApi;

namespace RenderFarm.EndToEnd.Tests;

/// <summary>The OpenAPI document describes each field with its comment in the .proto files.</summary>
public sealed class ProtoCommentsTests
{
    [Theory]
    [InlineData("renderfarm.v1.Layer.x", "Left edge of the box")]
    [InlineData("renderfarm.v1.Layer.keyframes", "a property a keyframe does not give holds")]
    [InlineData("renderfarm.v1.Keyframe.easing", "Defaults to LINEAR")]
    [InlineData("renderfarm.v1.Segment.layer", "as a layer in a box")]
    [InlineData("renderfarm.v1.ImageClip.ken_burns", "on an image layer, inside its box")]
    [InlineData("renderfarm.v1.Captions.outline_color", "Outline around the letters")]
    public void EveryLayerField_HasItsProtoComment(string field, string expected) =>
        Assert.Contains(expected, ProtoComments.Of(field) ?? "", StringComparison.Ordinal);

    [Fact]
    public void NestedMessages_OneofMembers_AndEnumValues_AreToldApart()
    {
        var comments = new Dictionary<string, string>();
        ProtoComments.Parse("""
            package a.v1;
            message Outer {
              // The inner one.
              message Inner {
                // Deep.
                string deep = 1;
              }
              enum Kind {
                // Not a field.
                KIND_UNSPECIFIED = 0;
              }
              oneof choice {
                // First choice.
                Inner inner = 2;
              }
              // A map.
              map<string, string> labels = 3;
              string bare = 4;
            }
            """, comments);

        Assert.Equal(new Dictionary<string, string>
        {
            ["a.v1.Outer.Inner.deep"] = "Deep.",
            ["a.v1.Outer.inner"] = "First choice.",
            ["a.v1.Outer.labels"] = "A map.",
        }, comments);
    }

    [Fact]
    public void Services_AndRpcs_HaveTheirComments_AndAnRpcsOptionsDoNotEndItsService()
    {
        var comments = new Dictionary<string, string>();
        ProtoComments.Parse("""
            package a.v1;
            // Makes things.
            service Maker {
              // Makes one thing.
              // Quickly.
              rpc Make(MakeRequest) returns (Thing) {
                option (google.api.http) = {
                  post: "/v1/things"
                  body: "*"
                };
              }
              // Reads one thing.
              rpc Get(GetRequest) returns (Thing);
            }
            message Empty {}
            message Thing {
              // Its name.
              string name = 1;
            }
            """, comments);

        Assert.Equal(new Dictionary<string, string>
        {
            ["a.v1.Maker"] = "Makes things.",
            ["a.v1.Maker.Make"] = "Makes one thing. Quickly.",
            ["a.v1.Maker.Get"] = "Reads one thing.",
            ["a.v1.Thing.name"] = "Its name.",
        }, comments);
    }

    [Theory]
    [InlineData("renderfarm.v1.ProductionService.CreateProduction", "queues it for rendering")]
    [InlineData("renderfarm.v1.PlanService", "")]
    public void TheContractsRpcs_HaveTheirComments(string name, string expected) =>
        Assert.Contains(expected, ProtoComments.Of(name) ?? "<none>", StringComparison.Ordinal);
}
