using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RenderFarm.Contracts.V1;

namespace RenderFarm.State;

/// <summary>
/// Placement classes: productions with the same placement share one queue per tenant, so matching
/// work to a node looks at one queue head per class instead of scanning the queue.
/// </summary>
public static class Placements
{
    /// <summary>Class of productions without a placement.</summary>
    public const string NoneClass = "0";

    /// <summary>The class id and its canonical JSON (as the dispatch script reads it).</summary>
    public static (string Id, string Json) ClassOf(Placement? placement)
    {
        if (IsEmpty(placement?.Required) && IsEmpty(placement?.Preferred))
        {
            return (NoneClass, "{}");
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            Write(json, "r", placement!.Required);
            Write(json, "p", placement.Preferred);
            json.WriteEndObject();
        }

        var text = Encoding.UTF8.GetString(buffer.ToArray());
        return ("p" + Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()))[..16], text);
    }

    /// <summary>What a production with these requirements waits for, e.g. "waiting for a node with gpu, encoder h264_nvenc".</summary>
    public static string WaitingStage(Placement? placement)
    {
        var required = placement?.Required;
        if (IsEmpty(required))
        {
            return "queued";
        }

        var parts = new List<string>();
        if (required!.Gpu)
        {
            parts.Add("gpu");
        }

        parts.AddRange(required.Encoders.Distinct().Order(StringComparer.Ordinal).Select(e => $"encoder {e}"));
        parts.AddRange(required.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"label {l.Key}={l.Value}"));
        return "waiting for a node with " + string.Join(", ", parts);
    }

    private static bool IsEmpty(NodeRequirements? r) => r is null || (!r.Gpu && r.Encoders.Count == 0 && r.Labels.Count == 0);

    private static void Write(Utf8JsonWriter json, string name, NodeRequirements? r)
    {
        if (IsEmpty(r))
        {
            return;
        }

        json.WriteStartObject(name);
        json.WriteBoolean("gpu", r!.Gpu);
        json.WriteStartArray("enc");
        foreach (var encoder in r.Encoders.Distinct().Order(StringComparer.Ordinal))
        {
            json.WriteStringValue(encoder);
        }

        json.WriteEndArray();
        WriteLabels(json, r.Labels);
        json.WriteEndObject();
    }

    internal static void WriteLabels(Utf8JsonWriter json, IEnumerable<KeyValuePair<string, string>> labels)
    {
        json.WriteStartObject("lab");
        foreach (var (key, value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
    }
}

/// <summary>What the dispatcher matches placements against: a node's id, GPU, working encoders and labels.</summary>
public sealed class NodeProfile
{
    /// <summary>Describes a node.</summary>
    public NodeProfile(string nodeId, bool gpu, IEnumerable<string> encoders, IEnumerable<KeyValuePair<string, string>> labels)
    {
        NodeId = nodeId;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteBoolean("gpu", gpu);
            json.WriteStartObject("enc");
            foreach (var encoder in encoders.Distinct())
            {
                json.WriteBoolean(encoder, true);
            }

            json.WriteEndObject();
            Placements.WriteLabels(json, labels);
            json.WriteEndObject();
        }

        // Written once; the dispatch script decodes it only when a placement has requirements.
        Capabilities = Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>A node with nothing to match but its id.</summary>
    public static NodeProfile Plain(string nodeId) => new(nodeId, false, [], []);

    /// <summary>The node's id.</summary>
    public string NodeId { get; }

    /// <summary>GPU, working encoders and labels as the dispatch script matches them (JSON).</summary>
    internal string Capabilities { get; }
}
