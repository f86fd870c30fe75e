namespace Tapewatch.Local.Hosting;

internal sealed record LocalHostOptions
{
    public int Port { get; init; } = 7071;

    public string? StorageConnectionString { get; init; }

    /// <summary>Azurite data folder; null = in-memory.</summary>
    public string? DataDirectory { get; init; }

    public bool Once { get; init; }

    /// <summary>Optional key required on non-anonymous routes (x-functions-key header or ?code=).</summary>
    public string? ApiKey { get; init; }

    /// <summary>Extra settings applied like command-line flags (e.g. to disable sources in tests).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Run every job once, then the evaluation queue, then print the regime (the start-up cycle).</summary>
    public bool RunStartupCycle { get; init; } = true;

    /// <summary>Run the jobs on their NCRONTAB schedules while serving.</summary>
    public bool EnableScheduler { get; init; } = true;

    /// <summary>Record the private Azurite in <see cref="LocalHostState"/> for other CLI commands (the CLI sets this; tests do not).</summary>
    public bool WriteStateFile { get; init; }

    /// <summary>Replaces the start-up cycle (the offline demo); gets the started app's services.</summary>
    public Func<IServiceProvider, TextWriter, CancellationToken, Task>? Replay { get; init; }

    /// <summary>Clock for every service (the demo's); null = the system clock.</summary>
    public TimeProvider? Time { get; init; }

    /// <summary>Extra logging set-up applied after the console logger (tests add a provider that captures every entry).</summary>
    public Action<Microsoft.Extensions.Logging.ILoggingBuilder>? ConfigureLogging { get; init; }
}
