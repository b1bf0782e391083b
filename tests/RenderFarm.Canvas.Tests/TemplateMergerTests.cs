using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using RenderFarm.CanvasModel.Templates;
using RenderFarm.Contracts;
using RenderFarm.Contracts.V1;

namespace RenderFarm.CanvasModel.Tests;

/// <summary>Merge values go into parsed fields: the substitution walker, bindings, and the checks on values and templates.</summary>
public sealed class TemplateMergerTests
{
    private const string Injection = "\"},{\"video\":{\"src\":\"http://evil\"}}";

    // TITLE (required text), SUBTITLE (text, default), ACCENT (color, default), LOGO (url), SECS (number bound to a duration).
    private static Template Sample() => JsonParser.Default.Parse<Template>("""
        {'canvas': {'width': 320, 'height': 240, 'segments': [
           {'color': {'color': '{{ACCENT}}'}, 'duration': 2},
           {'text': {'text': 'Hi {{TITLE}}! {{SUBTITLE}}', 'color': '#FFFFFF', 'fontSize': 24}, 'start': 0, 'duration': 2},
           {'image': {'src': '{{LOGO}}'}, 'duration': 1}]},
         'fields': [
           {'name': 'TITLE', 'type': 'TEXT', 'required': true},
           {'name': 'SUBTITLE', 'type': 'TEXT', 'default': 'welcome'},
           {'name': 'ACCENT', 'type': 'COLOR', 'default': '#102030'},
           {'name': 'LOGO', 'type': 'URL', 'default': 'https://cdn.example.com/logo.png'},
           {'name': 'SECS', 'type': 'NUMBER'}],
         'bindings': [{'field': 'SECS', 'path': 'canvas.segments[2].duration'}]}
        """.Replace('\'', '"'));

    private static MergedTemplate Merge(Template template, params (string Name, Value Value)[] values) =>
        TemplateMerger.Merge(template, values.ToDictionary(v => v.Name, v => v.Value));

    private static void AssertOnly(IReadOnlyList<FieldViolation> violations, string field, string reason)
    {
        var v = Assert.Single(violations);
        Assert.Equal((field, reason), (v.Field, v.Reason));
    }

    [Fact]
    public void Sample_IsAValidTemplate() => Assert.Empty(TemplateRules.Validate(Sample()));

    [Fact]
    public void Merge_SubstitutesValuesAndDefaults_AndBindsNumbers()
    {
        var merged = Merge(Sample(), ("TITLE", Value.ForString("Ada")), ("SECS", Value.ForNumber(3.5)));

        Assert.Empty(merged.Violations);
        Assert.Equal("Hi Ada! welcome", merged.Canvas!.Segments[1].Text.Text);
        Assert.Equal("#102030", merged.Canvas.Segments[0].Color.Color);
        Assert.Equal("https://cdn.example.com/logo.png", merged.Canvas.Segments[2].Image.Src);
        Assert.Equal(3.5, merged.Canvas.Segments[2].Duration);
        Assert.Equal("merge.SECS", merged.Attribute(new("canvas.segments[2].duration", ErrorReasons.OutOfRange, "too long")).Field);
        Assert.Equal("merge.TITLE", merged.Attribute(new("canvas.segments[1].text.text", ErrorReasons.TooLong, "too long")).Field);
        // Filled from a default: the canvas path stays.
        Assert.Equal("canvas.segments[0].color.color", merged.Attribute(new("canvas.segments[0].color.color", ErrorReasons.InvalidColor, "x")).Field);
    }

    [Fact]
    public void Merge_LeavesTheStoredTemplateUntouched()
    {
        var template = Sample();
        var before = template.Clone();
        Merge(template, ("TITLE", Value.ForString("Ada")), ("SECS", Value.ForNumber(4)));
        Assert.Equal(before, template);
    }

    [Theory]
    [InlineData(Injection)]
    [InlineData("{{SUBTITLE}}")]
    [InlineData("{{OTHER}} {{ACCENT}} }} {{")]
    [InlineData("\\u0000\n\"'<script>")]
    public void MergeValue_StaysLiteral_AndCannotChangeTheCanvasStructure(string value)
    {
        var merged = Merge(Sample(), ("TITLE", Value.ForString(value)));

        Assert.Empty(merged.Violations);
        Assert.Equal($"Hi {value}! welcome", merged.Canvas!.Segments[1].Text.Text);
        Assert.Equal(3, merged.Canvas.Segments.Count);
        Assert.Equal(Segment.KindOneofCase.Image, merged.Canvas.Segments[2].KindCase);
        Assert.DoesNotContain("evil", merged.Canvas.Segments[2].Image.Src, StringComparison.Ordinal);
    }

    [Fact]
    public void Walker_VisitsNestedRepeatedAndMapStrings_WithJsonPaths()
    {
        var request = new CreateProductionRequest
        {
            Canvas = new Contracts.V1.Canvas
            {
                BackgroundColor = "#000000",
                Segments = { new Segment { Captions = new Captions { Words = { new CaptionWord { Text = "w" } } } } },
                Fonts = { new Font { Family = "f", Src = "https://x/f.ttf" } },
            },
            Labels = { ["k"] = "v" },
            Placement = new Placement { Required = new NodeRequirements { Encoders = { "h264_nvenc" } } },
        };

        var paths = MessageStrings.All(request, "").Select(s => s.Path).ToList();

        Assert.Equal(
            ["canvas.backgroundColor", "canvas.segments[0].captions.words[0].text", "canvas.fonts[0].family", "canvas.fonts[0].src",
             "labels[k]", "placement.required.encoders[0]"],
            paths);
        MessageStrings.Rewrite(request, "", (_, s) => s.ToUpperInvariant());
        Assert.Equal("V", request.Labels["k"]);
        Assert.Equal("H264_NVENC", request.Placement.Required.Encoders[0]);
        Assert.Equal("W", request.Canvas.Segments[0].Captions.Words[0].Text);
    }

    [Fact]
    public void Substitution_IsOnePass_AndKeepsMalformedBracesLiteral()
    {
        var unfilled = new List<string>();
        var text = Placeholders.Substitute("{{A}}{{B}} {{ C }} {{1X}} {{MISSING}}", n => n switch { "A" => "{{B}}", "B" => "b", _ => null }, unfilled);

        Assert.Equal("{{B}}b {{ C }} {{1X}} {{MISSING}}", text);
        Assert.Equal(["MISSING"], unfilled);
    }

    [Theory]
    [InlineData("canvas.segments[1].duration", true)]
    [InlineData("canvas.segments[1].text.fontSize", true)]
    [InlineData("canvas.segments[1].text.font_size", true)]
    [InlineData("canvas.width", true)]
    [InlineData("canvas.segments[3].duration", false)]
    [InlineData("canvas.segments.duration", false)]
    [InlineData("canvas.segments[1].text.text", false)]
    [InlineData("canvas.segments[0].text.fontSize", false)]
    [InlineData("canvas.segments[1].layer.x", false)]
    [InlineData("canvas.segments[1].nope", false)]
    [InlineData("segments[1].duration", false)]
    [InlineData("canvas", false)]
    public void NumericPath_MustExistInTheCanvas_AndBeNumeric(string path, bool resolves) =>
        Assert.Equal(resolves, NumericPath.Resolve(Sample().Canvas, "canvas", path, out _) is not null);

    [Fact]
    public void NumberBoundToAnIntegerField_MustBeWhole()
    {
        var template = Sample();
        template.Bindings[0].Path = "canvas.segments[1].text.fontSize";

        AssertOnly(Merge(template, ("TITLE", Value.ForString("x")), ("SECS", Value.ForNumber(2.5))).Violations, "merge.SECS", ErrorReasons.OutOfRange);
        Assert.Equal(40, Merge(template, ("TITLE", Value.ForString("x")), ("SECS", Value.ForString("40"))).Canvas!.Segments[1].Text.FontSize);
    }

    public static TheoryData<string, Value, string> WrongValues => new()
    {
        { "SECS", Value.ForString("abc"), ErrorReasons.InvalidType },
        { "SECS", Value.ForNumber(double.NaN), ErrorReasons.OutOfRange },
        { "SECS", Value.ForString("Infinity"), ErrorReasons.OutOfRange },
        { "SECS", Value.ForBool(true), ErrorReasons.InvalidType },
        { "ACCENT", Value.ForString("red"), ErrorReasons.InvalidColor },
        { "ACCENT", Value.ForString("#12345"), ErrorReasons.InvalidColor },
        { "LOGO", Value.ForString("ftp://x/y.png"), ErrorReasons.InvalidUrl },
        { "LOGO", Value.ForString("not a url"), ErrorReasons.InvalidUrl },
        { "SUBTITLE", Value.ForList(Value.ForString("a")), ErrorReasons.InvalidType },
        { "SUBTITLE", Value.ForString(new string('x', CanvasLimits.MaxTextLength + 1)), ErrorReasons.TooLong },
        { "NOPE", Value.ForString("x"), ErrorReasons.MergeFieldUnknown },
    };

    [Theory]
    [MemberData(nameof(WrongValues))]
    public void WrongMergeValue_NamesMergeField(string name, Value value, string reason) =>
        AssertOnly(Merge(Sample(), ("TITLE", Value.ForString("t")), (name, value)).Violations, $"merge.{name}", reason);

    [Fact]
    public void MissingRequiredField_NamesMergeField() =>
        AssertOnly(Merge(Sample()).Violations, "merge.TITLE", ErrorReasons.FieldRequired);

    [Fact]
    public void PlaceholderWithoutValueOrDefault_NamesItsCanvasPath()
    {
        var template = Sample();
        template.Fields[0].Required = false;

        AssertOnly(Merge(template).Violations, "canvas.segments[1].text.text", ErrorReasons.PlaceholderUnfilled);
    }

    [Fact]
    public void UnusedNumberWithoutValue_KeepsTheCanvasValue() =>
        Assert.Equal(1, Merge(Sample(), ("TITLE", Value.ForString("t"))).Canvas!.Segments[2].Duration);

    public static TheoryData<string, string, string> BrokenTemplates => new()
    {
        { "fields[0].name = 'has space'", "template.fields[0].name", ErrorReasons.InvalidFieldName },
        { "fields[1].name = 'TITLE'", "template.fields[1].name", ErrorReasons.InvalidFieldName },
        { "canvas.segments[1].text.text = '{{NOBODY}}'", "template.canvas.segments[1].text.text", ErrorReasons.FieldUndeclared },
        { "fields += UNUSED", "template.fields[5]", ErrorReasons.FieldUnused },
        { "bindings[0].path = 'canvas.segments[9].duration'", "template.bindings[0].path", ErrorReasons.BindingPathInvalid },
        { "bindings[0].field = 'TITLE'", "template.bindings[0].field", ErrorReasons.UnsupportedCombination },
        { "fields[2].default = 'blue'", "template.fields[2].default", ErrorReasons.InvalidColor },
        { "segments[0].color.color = '{{SUBTITLE}}'", "template.canvas.segments[0].color.color", ErrorReasons.InvalidColor },
        { "fields[4].default = 0", "template.canvas.segments[2].duration", ErrorReasons.OutOfRange },
        { "no canvas", "template.canvas", ErrorReasons.FieldRequired },
    };

    [Theory]
    [MemberData(nameof(BrokenTemplates))]
    public void BrokenTemplate_IsRefused_NamingTheField(string change, string field, string reason)
    {
        var template = Sample();
        switch (change)
        {
            case "fields[0].name = 'has space'":
                template.Fields[0].Name = "has space";
                break;
            case "fields[1].name = 'TITLE'":
                template.Fields[1].Name = "TITLE";
                template.Canvas.Segments[1].Text.Text = "{{TITLE}}";
                break;
            case "canvas.segments[1].text.text = '{{NOBODY}}'":
                template.Canvas.Segments[1].Text.Text = "{{TITLE}} {{SUBTITLE}} {{NOBODY}}";
                break;
            case "fields += UNUSED":
                template.Fields.Add(new TemplateField { Name = "UNUSED" });
                break;
            case "bindings[0].path = 'canvas.segments[9].duration'":
                template.Bindings[0].Path = "canvas.segments[9].duration";
                break;
            case "bindings[0].field = 'TITLE'":
                template.Bindings.Add(new TemplateBinding { Field = "TITLE", Path = "canvas.segments[0].duration" });
                template.Bindings.RemoveAt(0);
                template.Canvas.Segments[2].Image.Src = "{{LOGO}}{{SECS}}";
                break;
            case "fields[2].default = 'blue'":
                template.Fields[2].Default = Value.ForString("blue");
                break;
            case "segments[0].color.color = '{{SUBTITLE}}'":
                template.Canvas.Segments[0].Color.Color = "{{SUBTITLE}}{{ACCENT}}";
                break;
            case "fields[4].default = 0":
                template.Fields[4].Default = Value.ForNumber(0);
                break;
            default:
                template.Canvas = null;
                break;
        }

        // The first violation is the one the error's ErrorInfo reports.
        var v = TemplateRules.Validate(template);
        Assert.NotEmpty(v);
        Assert.Equal((field, reason), (v[0].Field, v[0].Reason));
    }
}
