using CsCheck;

namespace RenderFarm.Fuzz.Tests.Generation;

/// <summary>
/// Field values: mostly inside the contract, and in a hostile canvas now and then outside it
/// (NaN, infinities, negatives, huge numbers, unknown enum values, malformed strings).
/// </summary>
internal static class Values
{
    /// <summary>One hostile value in this many draws of a hostile canvas's field.</summary>
    private const int HostileOdds = 14;

    private static readonly Gen<double> BadNumber = Gen.OneOf(
        Gen.Const(double.NaN), Gen.Const(double.PositiveInfinity), Gen.Const(double.NegativeInfinity),
        Gen.Const(-1.0), Gen.Const(-1e-9), Gen.Const(0.0), Gen.Const(1e9), Gen.Const(7.0), Gen.Double);

    /// <summary>Any text JSON can carry (no lone surrogates).</summary>
    public static readonly Gen<string> AnyString = Gen.String.Select(s => new string([.. s.Where(c => !char.IsSurrogate(c))]));

    public static Gen<T> Or<T>(this Gen<T> good, Gen<T> bad, bool hostile) =>
        hostile ? Gen.Frequency((HostileOdds, good), (1, bad)) : good;

    public static Gen<double> Number(double min, double max, bool hostile) =>
        Gen.Double[min, max].Or(BadNumber, hostile);

    /// <summary>A whole number of frames at <paramref name="fps"/>: one-frame pieces are the joins most likely to slip.</summary>
    public static Gen<double> Seconds(int fps, int maxFrames, bool hostile) =>
        Gen.Frequency((3, Gen.Int[1, maxFrames].Select(f => f / (double)fps)), (1, Gen.Double[0.01, maxFrames / (double)fps]))
            .Or(BadNumber, hostile);

    /// <summary>Unset (null) about a third of the time.</summary>
    public static Gen<double?> Optional(this Gen<double> gen) =>
        Gen.Frequency((1, Gen.Const((double?)null)), (2, gen.Select(v => (double?)v)));

    public static Gen<T?> Optional<T>(this Gen<T> gen, int unsetOdds = 1, int setOdds = 2) where T : class =>
        Gen.Frequency((unsetOdds, Gen.Const((T?)null)), (setOdds, gen.Select(v => (T?)v)));

    /// <summary>Sets a proto3 optional field only when there is a value, so "unset" stays distinguishable from 0.</summary>
    public static void IfSet(this double? value, Action<double> set)
    {
        if (value is { } v)
        {
            set(v);
        }
    }

    public static Gen<T> Enum<T>(bool hostile) where T : struct, System.Enum =>
        Gen.Enum<T>().Or(Gen.Int[50, 5000].Select(i => (T)System.Enum.ToObject(typeof(T), i)), hostile);

    public static Gen<string> Color(bool hostile) =>
        Gen.Frequency(
            (3, Gen.Int[0, 0xFFFFFF].Select(c => $"#{c:X6}")),
            (1, Gen.Select(Gen.Int[0, 0xFFFFFF], Gen.Int[0, 255], (c, a) => $"#{c:x6}{a:x2}")),
            (1, Gen.Const("")))
        .Or(Gen.OneOf(Gen.Const("red"), Gen.Const("#12"), Gen.Const("#GGGGGG"), Gen.Const("#1234567"), Gen.Const("#ff00ff'"), AnyString), hostile);

    private static readonly string[] Words =
    [
        "Hello", "world", "launch", "teaser", "ÄÖÜ", "日本語", "🙂", "it's", "a:b", "50%", "%{pts}", "\\N", "{\\b1}",
        "[x]", "a,b;c", "'quoted'", "\"double\"", "back\\slash", "drawtext=text=pwned", "-v", "line\nbreak", "tab\tbed",
    ];

    /// <summary>Text a user might send, with every character filters and ASS treat specially.</summary>
    public static Gen<string> Text(bool hostile) =>
        Gen.OneOf(Words).Array[1, 6].Select(w => string.Join(' ', w))
            .Or(Gen.OneOf(Gen.Const(""), Gen.Const("   "), Gen.Const(new string('x', 5001)), AnyString), hostile);

    /// <summary>
    /// A media reference: one of the fuzz media files of the right kind, now and then one of the wrong
    /// kind or a missing one (a valid URL the node must refuse cleanly), or (hostile) a malformed one.
    /// </summary>
    public static Gen<string> Source(bool hostile, params string[] files) =>
        Gen.Frequency((30, Gen.OneOf(files)), (1, Gen.OneOf(FuzzMedia.All)))
            .Select(FuzzMedia.Url)
            .Or(Gen.OneOf(
                Gen.Const(""), Gen.Const("ftp://media.fuzz/clip.mp4"), Gen.Const("http://"), Gen.Const("asset://"),
                Gen.Const("not a url"), Gen.Const("file:///etc/passwd"), Gen.Const(FuzzMedia.Url("missing.mp4")),
                Gen.Const("https://media.fuzz/" + new string('a', 2100))), hostile);
}
