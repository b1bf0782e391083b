using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using RenderFarm.Contracts;
using StackExchange.Redis;

namespace RenderFarm.State;

/// <summary>The farm's Lua scripts: every state change is one of these, run atomically on the server.</summary>
internal static class ScriptLibrary
{
    private static readonly ConcurrentDictionary<string, string> Cache = new();

    public static string Get(string name) => Cache.GetOrAdd(name, static n => Read("prelude") + "\n" + Read(n));

    private static string Read(string name)
    {
        var assembly = typeof(ScriptLibrary).Assembly;
        var resource = assembly.GetManifestResourceNames().Single(r => r.EndsWith($".Scripts.{name}.lua", StringComparison.Ordinal));
        using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// Runs a script with the prefix and clock as its first two arguments. Redis runs every script
    /// alone; Garnet runs each command of a script atomically but may interleave two scripts (its
    /// Lua transaction mode locks declared keys only and let a concurrent HGETALL of a hash a
    /// script was changing crash the session), so the scripts claim what they take over with one
    /// atomic command whose answer says who won: ZREM of the queue entry, ZREM of the lease.
    /// </summary>
    public static async Task<RedisResult> RunAsync(this IDatabase db, string script, string prefix, TimeProvider time, params RedisValue[] args)
    {
        var all = new RedisValue[args.Length + 2];
        all[0] = prefix;
        all[1] = time.GetUtcNow().ToUnixTimeMilliseconds();
        args.CopyTo(all, 2);
        using var span = FarmTracing.State.StartActivity($"redis {script}", ActivityKind.Client);
        span?.SetTag("db.system", "redis");
        span?.SetTag("db.operation", script);
        try
        {
            return await db.ScriptEvaluateAsync(Get(script), keys: null, values: all).ConfigureAwait(false);
        }
        catch (TaskCanceledException e)
        {
            // No token reaches the client here: a cancelled command is one the client gave up on
            // (a timed-out connection being torn down), so it fails like any lost connection and
            // every caller's handling of an unavailable state applies, instead of a background
            // loop taking it for its own shutdown and stopping the host.
            span?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw new RedisConnectionException(ConnectionFailureType.ConnectionDisposed, $"Redis abandoned script {script}: {e.Message}", e);
        }
        catch (Exception e) when (span is not null)
        {
            span.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
    }
}
