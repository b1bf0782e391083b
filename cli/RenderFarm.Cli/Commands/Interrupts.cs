namespace RenderFarm.Cli.Commands;

/// <summary>
/// Turns Ctrl+C (SIGINT) into a cancellation of the current wait instead of ending the process, so
/// the command can ask what to do with the production it is following.
/// </summary>
internal sealed class Interrupts : IDisposable
{
    private CancellationTokenSource? _current;

    public Interrupts() => Console.CancelKeyPress += OnCancel;

    public bool Fired { get; private set; }

    /// <summary>A token that Ctrl+C cancels (or <paramref name="outer"/> does); the caller disposes it.</summary>
    public CancellationTokenSource Arm(CancellationToken outer)
    {
        Fired = false;
        _current = CancellationTokenSource.CreateLinkedTokenSource(outer);
        return _current;
    }

    private void OnCancel(object? sender, ConsoleCancelEventArgs e)
    {
        if (_current is { IsCancellationRequested: false } current)
        {
            e.Cancel = true;
            Fired = true;
            current.Cancel();
        }
    }

    public void Dispose() => Console.CancelKeyPress -= OnCancel;
}
