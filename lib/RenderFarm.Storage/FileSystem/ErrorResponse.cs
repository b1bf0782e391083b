using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace RenderFarm.Storage.FileSystem;

/// <summary>Writes <c>{"error":{"code":…,"message":…}}</c> without reflection-based serialization.</summary>
internal static class ErrorResponse
{
    public static async Task WriteAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("code", code);
        writer.WriteString("message", message);
        writer.WriteEndObject();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }
}
