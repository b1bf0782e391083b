using System.Diagnostics;

namespace RenderFarm.Contracts;

/// <summary>
/// The farm's trace sources, one per component, and how a span continues a trace carried as a W3C
/// <c>traceparent</c> string (in a stored job, in an assignment on the node stream).
/// </summary>
public static class FarmTracing
{
    /// <summary>
    /// Every source below by name: what a tracer provider or listener subscribes to. First, and made of
    /// constants, as creating a source asks the listeners already there (which may read this list).
    /// </summary>
    public static readonly IReadOnlyList<string> SourceNames = ["RenderFarm.Facade", "RenderFarm.Coordinator", "RenderFarm.Node", "RenderFarm.State"];

    /// <summary>Spans of the REST/gRPC facade (production create).</summary>
    public static readonly ActivitySource Facade = new(SourceNames[0]);

    /// <summary>Spans of the coordinator (dispatch, result).</summary>
    public static readonly ActivitySource Coordinator = new(SourceNames[1]);

    /// <summary>Spans of a node (render: fetch, compile, FFmpeg run, upload).</summary>
    public static readonly ActivitySource Node = new(SourceNames[2]);

    /// <summary>Spans of the Redis scripts every state change is (create, dispatch, complete, …).</summary>
    public static readonly ActivitySource State = new(SourceNames[3]);

    /// <summary>
    /// Starts a span under <paramref name="traceparent"/> (W3C form) when it parses, else under the
    /// current span; null when nothing listens or the sampler drops it.
    /// </summary>
    public static Activity? StartFrom(this ActivitySource source, string name, string? traceparent, ActivityKind kind = ActivityKind.Internal) =>
        !string.IsNullOrEmpty(traceparent) && ActivityContext.TryParse(traceparent, null, out var parent)
            ? source.StartActivity(name, kind, parent)
            : source.StartActivity(name, kind);

    /// <summary>The current span's W3C <c>traceparent</c>, or empty when there is none (or it is not W3C).</summary>
    public static string CurrentTraceparent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id ?? "" : "";
}
