using RenderFarm.Contracts.V1;

namespace RenderFarm.CanvasModel;

/// <summary>Which track a segment belongs to.</summary>
public static class SegmentKinds
{
    /// <summary>Video, image and color that are not layers: sequenced on the base track.</summary>
    public static bool IsBase(Segment segment) => segment.Layer is null && segment.KindCase is
        Segment.KindOneofCase.Video or Segment.KindOneofCase.Image or Segment.KindOneofCase.Color;

    /// <summary>Text, shape and captions that are not layers: drawn on top of the layers.</summary>
    public static bool IsOverlay(Segment segment) => segment.Layer is null && segment.KindCase is
        Segment.KindOneofCase.Text or Segment.KindOneofCase.Shape or Segment.KindOneofCase.Captions;

    /// <summary>A visual segment with <c>layer</c>: drawn in its box on top of the base track.</summary>
    public static bool IsLayer(Segment segment) => segment.Layer is not null && segment.KindCase is
        Segment.KindOneofCase.Video or Segment.KindOneofCase.Image or Segment.KindOneofCase.Color
        or Segment.KindOneofCase.Text or Segment.KindOneofCase.Shape;

    /// <summary>Audio and speech: their own tracks, mixed.</summary>
    public static bool IsSound(Segment segment) => segment.KindCase is
        Segment.KindOneofCase.Audio or Segment.KindOneofCase.Speech;
}
