using Google.Protobuf;
using RenderFarm.Contracts.V1;

namespace RenderFarm.CanvasModel.Tests;

internal static class Json
{
    public static Contracts.V1.Canvas Canvas(string json) => JsonParser.Default.Parse<Contracts.V1.Canvas>(json.Replace('\'', '"'));

    public static OutputSpec Output(string json) => JsonParser.Default.Parse<OutputSpec>(json.Replace('\'', '"'));
}
