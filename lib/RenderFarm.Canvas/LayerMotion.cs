using RenderFarm.Contracts.V1;

namespace RenderFarm.CanvasModel;

/// <summary>One value of a layer property at a keyframe, and how it is reached from the one before.</summary>
/// <param name="Time">Seconds from the segment's start.</param>
/// <param name="Value">The property's value at <paramref name="Time"/>.</param>
/// <param name="Easing">How the value moves from the previous point to this one.</param>
public sealed record KeyPoint(double Time, double Value, Easing Easing);

/// <summary>
/// A layer property over its segment: the layer's own value at time 0, then a point per keyframe
/// (its value, or the previous one when the keyframe does not give it), eased between points and
/// held after the last. A keyframe at time 0 replaces the layer's own value.
/// </summary>
public sealed class PropertyTrack
{
    private PropertyTrack(IReadOnlyList<KeyPoint> points) => Points = points;

    /// <summary>The points in time order; the first is at time 0.</summary>
    public IReadOnlyList<KeyPoint> Points { get; }

    /// <summary>True when the value never changes.</summary>
    public bool IsConstant => Points.All(p => p.Value == Points[0].Value);

    /// <summary>Largest value (easings stay between their end points, so it is at a point).</summary>
    public double Max => Points.Max(p => p.Value);

    /// <summary>Smallest value.</summary>
    public double Min => Points.Min(p => p.Value);

    /// <summary>The track of one property: <paramref name="own"/> at 0, then each keyframe's value where <paramref name="given"/> returns one.</summary>
    public static PropertyTrack Of(double own, IEnumerable<Keyframe> keyframes, Func<Keyframe, double?> given)
    {
        var points = new List<KeyPoint> { new(0, own, Easing.Linear) };
        foreach (var k in keyframes)
        {
            var value = given(k) ?? points[^1].Value;
            if (k.Time <= 0 && points.Count == 1)
            {
                points[0] = new KeyPoint(0, value, Easing.Linear);
                continue;
            }
            points.Add(new KeyPoint(k.Time, value, k.Easing));
        }
        return new PropertyTrack(points);
    }

    /// <summary>The value at <paramref name="time"/> seconds from the segment's start.</summary>
    public double At(double time)
    {
        if (time <= Points[0].Time)
        {
            return Points[0].Value;
        }
        for (var i = 1; i < Points.Count; i++)
        {
            var (a, b) = (Points[i - 1], Points[i]);
            if (time < b.Time)
            {
                return a.Value + ((b.Value - a.Value) * Easings.Apply(b.Easing, (time - a.Time) / (b.Time - a.Time)));
            }
        }
        return Points[^1].Value;
    }
}

/// <summary>The cubic easings of keyframes.</summary>
public static class Easings
{
    /// <summary>Progress 0..1 eased: EASE_IN p³, EASE_OUT 1−(1−p)³, EASE_IN_OUT 4p³ then 1−(2−2p)³/2.</summary>
    public static double Apply(Easing easing, double p) => easing switch
    {
        Easing.EaseIn => p * p * p,
        Easing.EaseOut => 1 - Math.Pow(1 - p, 3),
        Easing.EaseInOut => p < 0.5 ? 4 * p * p * p : 1 - (Math.Pow(2 - (2 * p), 3) / 2),
        _ => p,
    };
}

/// <summary>Every animatable property of a layer as a track: box in frame fractions, opacity, rotation in degrees.</summary>
public sealed record LayerMotion(PropertyTrack X, PropertyTrack Y, PropertyTrack Width, PropertyTrack Height, PropertyTrack Opacity, PropertyTrack Rotation)
{
    /// <summary>The tracks of a validated layer.</summary>
    public static LayerMotion Of(Layer layer)
    {
        var k = layer.Keyframes;
        return new LayerMotion(
            PropertyTrack.Of(layer.X, k, f => f.HasX ? f.X : null),
            PropertyTrack.Of(layer.Y, k, f => f.HasY ? f.Y : null),
            PropertyTrack.Of(layer.Width, k, f => f.HasWidth ? f.Width : null),
            PropertyTrack.Of(layer.Height, k, f => f.HasHeight ? f.Height : null),
            PropertyTrack.Of(layer.HasOpacity ? layer.Opacity : 1, k, f => f.HasOpacity ? f.Opacity : null),
            PropertyTrack.Of(layer.Rotation, k, f => f.HasRotation ? f.Rotation : null));
    }

    /// <summary>True when the box moves or changes size.</summary>
    public bool Moves => !(X.IsConstant && Y.IsConstant && Width.IsConstant && Height.IsConstant && Rotation.IsConstant);
}
