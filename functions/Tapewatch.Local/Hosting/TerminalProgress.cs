namespace Tapewatch.Local.Hosting;

/// <summary>
/// A one-line "working…" indicator on stderr for long work (backfills, imports, backtests over years), shown only
/// when both stdout and stderr are a terminal: quiet when piped or redirected, so scripts see only the result.
/// </summary>
internal sealed class TerminalProgress : IAsyncDisposable
{
    private static readonly char[] Frames = ['|', '/', '-', '\\'];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private TerminalProgress(string label, TextWriter writer)
    {
        var started = TimeProvider.System.GetTimestamp();
        _loop = Task.Run(async () =>
        {
            var frame = 0;
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var elapsed = TimeProvider.System.GetElapsedTime(started);
                    await writer.WriteAsync($"\r{Frames[frame++ % Frames.Length]} {label} {elapsed.TotalSeconds:0}s ").ConfigureAwait(false);
                    await Task.Delay(250, _stop.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
            }

            await writer.WriteAsync("\r" + new string(' ', label.Length + 12) + "\r").ConfigureAwait(false);
        });
    }

    public static bool IsInteractive => !Console.IsOutputRedirected && !Console.IsErrorRedirected;

    /// <summary>Starts the indicator when interactive; otherwise returns an instance that does nothing.</summary>
    public static IAsyncDisposable Start(string label) =>
        IsInteractive ? new TerminalProgress(label, Console.Error) : NoProgress.Instance;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private sealed class NoProgress : IAsyncDisposable
    {
        public static readonly NoProgress Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
