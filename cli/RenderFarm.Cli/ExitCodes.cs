namespace RenderFarm.Cli;

/// <summary>What the process exit status means (docs/cli.md): one code per class of failure, so scripts can branch.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The production ended FAILED or CANCELLED.</summary>
    public const int ProductionFailed = 1;

    /// <summary>Bad arguments, an unreadable or malformed input file.</summary>
    public const int Usage = 2;

    /// <summary>401 or 403: no key, a revoked or unknown key, a missing scope.</summary>
    public const int Auth = 3;

    /// <summary>404: no such production, plan, template, asset, key or node.</summary>
    public const int NotFound = 4;

    /// <summary>400 or 409: the farm refused the request as invalid.</summary>
    public const int Invalid = 5;

    /// <summary>The farm could not be reached, timed out or answered 5xx.</summary>
    public const int Unavailable = 6;

    /// <summary>429: a rate limit or stream limit; retry later.</summary>
    public const int RateLimited = 7;

    /// <summary>Interrupted (Ctrl+C) without cancelling the production.</summary>
    public const int Interrupted = 130;
}
