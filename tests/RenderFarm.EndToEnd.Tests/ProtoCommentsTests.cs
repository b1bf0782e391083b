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
}
