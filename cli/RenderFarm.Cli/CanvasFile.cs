using System.Text.Json;
using System.Text.Json.Nodes;
using RenderFarm.Cli.Api;

namespace RenderFarm.Cli;

/// <summary>
/// A canvas file as the user wrote it: a whole request body (with a "canvas" property, like
/// scripts/example/canvas.json) or a bare canvas, which is wrapped as {"canvas": …}.
/// </summary>
internal static class CanvasFile
{
    /// <summary>The file as a CreateProductionRequest body.</summary>
    public static JsonObject ReadRequest(string path)
    {
        var root = Read(path);
        return root.ContainsKey("canvas") ? root : new JsonObject { ["canvas"] = root };
    }

    /// <summary>The file as a CreatePlanRequest body: its canvas and output only (a plan takes no display name, labels…).</summary>
    public static JsonObject ReadPlanRequest(string path)
    {
        var request = ReadRequest(path);
        var plan = new JsonObject { ["canvas"] = request["canvas"]?.DeepClone() };
        if (request["output"] is { } output)
        {
            plan["output"] = output.DeepClone();
        }

        return plan;
    }

    private static JsonObject Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read {path}: {e.Message}", e);
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            // LineNumber and BytePositionInLine are 0-based; people count from 1.
            var where = e.LineNumber is { } line ? $" at line {line + 1}, position {(e.BytePositionInLine ?? 0) + 1}" : "";
            throw new UsageException($"{path} is not valid JSON{where}: {FirstSentence(e.Message)}", e);
        }

        return node as JsonObject ?? throw new UsageException($"{path} must hold a JSON object (a canvas, or a request with a \"canvas\" property)");
    }

    private static string FirstSentence(string message)
    {
        foreach (var tail in new[] { " Path:", " LineNumber:" })
        {
            var cut = message.IndexOf(tail, StringComparison.Ordinal);
            message = cut > 0 ? message[..cut] : message;
        }

        return message;
    }
}
