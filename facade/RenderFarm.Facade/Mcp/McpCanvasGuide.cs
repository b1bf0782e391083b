namespace RenderFarm.Facade.Mcp;

/// <summary>What the canvas tools tell an agent about writing a canvas, beside the schema itself.</summary>
internal static class McpCanvasGuide
{
    /// <summary>A small canvas that renders as it stands (no media to fetch): 3.5 s at 640x360 (the fade overlaps its two segments).</summary>
    public const string Example = """
        {"canvas":{"width":640,"height":360,"fps":30,"backgroundColor":"#000000","segments":[
          {"color":{"color":"#1E3A8A"},"duration":2},
          {"color":{"color":"#0F766E"},"duration":2,"transition":{"kind":"FADE","duration":0.5}},
          {"text":{"text":"Hello from RenderFarm","position":"CENTER","fontSize":40,"color":"#FFFFFF"},"start":0.5,"duration":2.5},
          {"shape":{"kind":"RECTANGLE","x":0,"y":0.85,"width":1,"height":0.15,"color":"#00000080"}}]},
         "output":{"format":"MP4","videoCodec":"H264","quality":"STANDARD"}}
        """;

    /// <summary>How a canvas is put together, in a paragraph.</summary>
    public const string Rules = """
        A canvas is a JSON timeline in the proto3 JSON mapping: lowerCamel field names, enums by name
        (e.g. "FADE"), times in seconds, colors "#RRGGBB" or "#RRGGBBAA". Size: "preset" (HD =
        1280x720, FULL_HD = 1920x1080, YOUTUBE_SHORT/TIKTOK = 1080x1920, INSTAGRAM_FEED = 1080x1080)
        or "width" and "height" (even, 64..4096); "fps" is 24, 25, 30 or 60. "segments" is the
        timeline; each segment sets exactly one kind. Base content (color, image, video) plays one
        after another unless "start" is given; color and image need a "duration", video takes its
        own length unless "duration" or trims say otherwise; "transition" blends a base segment in
        from the one before. Overlays (text, shape) are drawn on top from "start" (default 0) for
        "duration" (default: to the end). audio, speech (text-to-speech from "text") and captions
        (word-timed) add sound and words; a "layer" box draws a visual segment picture-in-picture.
        Media "src" is an http(s) URL the farm can fetch or "asset://{id}" from create_asset_upload.
        The full schema of every field is in this tool's input schema ($defs/Canvas, $defs/Segment, …).
        """;
}
