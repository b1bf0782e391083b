using RenderFarm.Contracts.V1;

namespace RenderFarm.CanvasModel;

/// <summary>Which track a segment belongs to.</summary>
public static class SegmentKinds
{
    /// <summary>Video, image and color: sequenced on the base track.</summary>
    public static bool IsBase(Segment segment) => segment.KindCase is
        Segment.KindOneofCase.Video or Segment.KindOneofCase.Image or Segment.KindOneofCase.Color;

    /// <summary>Audio and speech: their own tracks, mixed.</summary>
    public static bool IsSound(Segment segment) => segment.KindCase is
        Segment.KindOneofCase.Audio or Segment.KindOneofCase.Speech;
}
