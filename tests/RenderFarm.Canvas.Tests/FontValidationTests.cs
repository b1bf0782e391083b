using RenderFarm.Contracts;

namespace RenderFarm.CanvasModel.Tests;

/// <summary>canvas.fonts and the look of captions are checked at create, each violation naming its field.</summary>
public sealed class FontValidationTests
{
    private static IReadOnlyList<FieldViolation> Check(string canvasJson) => CanvasValidator.Validate(Json.Canvas(canvasJson), null);

    private static void AssertOnly(string canvasJson, string field, string reason)
    {
        var v = Assert.Single(Check(canvasJson));
        Assert.Equal((field, reason), (v.Field, v.Reason));
    }

    [Fact]
    public void CanvasFonts_FromUrlOrAsset_UsedByTextAndCaptions_AreValid() =>
        Assert.Empty(Check("""
            {'fonts': [{'family': 'Brand Sans', 'src': 'https://cdn.example.com/brand.ttf'}, {'family': 'Brand Serif', 'src': 'asset://0192aa'}],
             'segments': [{'color': {'color': '#000000'}, 'duration': 2},
               {'text': {'text': 'Hi', 'fontFamily': 'Brand Sans'}},
               {'captions': {'source': 'EXPLICIT', 'style': 'BOX', 'fontFamily': 'brand serif', 'outlineColor': '#FF0000', 'outlineWidth': 0,
                             'backgroundColor': '#00000080', 'words': [{'text': 'a', 'start': 0, 'end': 1}]}}]}
            """));

    [Theory]
    [InlineData("{'src': 'https://x.example/a.ttf'}", "canvas.fonts[0].family", ErrorReasons.FieldRequired)]
    [InlineData("{'family': '   ', 'src': 'https://x.example/a.ttf'}", "canvas.fonts[0].family", ErrorReasons.FieldRequired)]
    [InlineData("{'family': 'Brand\\nSans', 'src': 'https://x.example/a.ttf'}", "canvas.fonts[0].family", ErrorReasons.OutOfRange)]
    [InlineData("{'family': 'Brand', 'src': ''}", "canvas.fonts[0].src", ErrorReasons.FieldRequired)]
    [InlineData("{'family': 'Brand', 'src': 'file:///etc/passwd'}", "canvas.fonts[0].src", ErrorReasons.InvalidUrl)]
    [InlineData("{'family': 'Brand', 'src': 'ftp://x.example/a.ttf'}", "canvas.fonts[0].src", ErrorReasons.InvalidUrl)]
    [InlineData("{'family': 'Brand', 'src': 'asset://'}", "canvas.fonts[0].src", ErrorReasons.InvalidUrl)]
    public void CanvasFont_IsChecked(string font, string field, string reason) =>
        AssertOnly($"{{'fonts': [{font}]}}", field, reason);

    [Fact]
    public void CanvasFont_FamilyOfMoreThan100Characters_IsTooLong() =>
        AssertOnly($"{{'fonts': [{{'family': '{new string('f', 101)}', 'src': 'https://x.example/a.ttf'}}]}}", "canvas.fonts[0].family", ErrorReasons.TooLong);

    [Fact]
    public void CanvasFonts_SameFamilyTwice_IgnoringCaseAndSpaces_IsADuplicate() =>
        AssertOnly("""
            {'fonts': [{'family': 'Brand Sans', 'src': 'https://x.example/a.ttf'}, {'family': 'x', 'src': 'https://x.example/b.ttf'},
                       {'family': 'brandsans', 'src': 'https://x.example/c.ttf'}]}
            """, "canvas.fonts[2].family", ErrorReasons.DuplicateValue);

    [Fact]
    public void CanvasFonts_MoreThanTheLimit_AreRefused()
    {
        var fonts = string.Join(", ", Enumerable.Range(0, CanvasLimits.MaxFonts + 1).Select(i => $"{{'family': 'F{i}', 'src': 'https://x.example/{i}.ttf'}}"));
        AssertOnly($"{{'fonts': [{fonts}]}}", "canvas.fonts", ErrorReasons.LimitExceeded);
    }

    [Theory]
    [InlineData("'outlineColor': 'red'", "outlineColor", ErrorReasons.InvalidColor)]
    [InlineData("'backgroundColor': '#12345'", "backgroundColor", ErrorReasons.InvalidColor)]
    [InlineData("'outlineWidth': 21", "outlineWidth", ErrorReasons.OutOfRange)]
    [InlineData("'outlineWidth': -1", "outlineWidth", ErrorReasons.OutOfRange)]
    [InlineData("'outlineWidth': 'NaN'", "outlineWidth", ErrorReasons.OutOfRange)]
    [InlineData("'fontFamily': 'Brand\\tSans'", "fontFamily", ErrorReasons.OutOfRange)]
    [InlineData("'style': 9", "style", ErrorReasons.InvalidEnum)]
    public void CaptionLook_IsChecked(string field, string name, string reason) =>
        AssertOnly($"{{'segments': [{{'captions': {{'source': 'SPEECH', {field}}}}}]}}", $"canvas.segments[0].captions.{name}", reason);

    [Fact]
    public void CaptionFontFamily_OfMoreThan200Characters_IsTooLong() =>
        AssertOnly($"{{'segments': [{{'captions': {{'fontFamily': '{new string('f', 201)}'}}}}]}}", "canvas.segments[0].captions.fontFamily", ErrorReasons.TooLong);

    [Fact]
    public void Families_CompareWithoutCaseAndSpaces() =>
        Assert.Equal(FontFamilies.Normal("Brand Sans"), FontFamilies.Normal(" brandsans "));
}
