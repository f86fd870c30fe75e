using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tapewatch.IntegrationTests.Alerts;
using Tapewatch.IntegrationTests.Foundation;
using Tapewatch.Local.Hosting;

namespace Tapewatch.IntegrationTests.Security;

/// <summary>
/// The real local host (<see cref="LocalHost"/>, Kestrel on a free loopback port) on a given storage account, without the
/// start-up ingest cycle or the scheduler. It hands over the started app's services (through the
/// <see cref="LocalHostOptions.Replay"/> hook, which runs once the server listens) so a test can read the mapped endpoints,
/// and captures every log entry from the start at the levels the host's configuration lets through.
/// </summary>
internal sealed class RunningLocalHost : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly Task<int> _running;

    private RunningLocalHost(int port, IServiceProvider services, LogCapture logs, StringWriter output, CancellationTokenSource stop, Task<int> running)
    {
        Port = port;
        Services = services;
        Logs = logs;
        Output = output;
        _stop = stop;
        _running = running;
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://localhost:{Port}/api/");

    public IServiceProvider Services { get; }

    /// <summary>Every log entry the host wrote, at the levels its configuration lets through.</summary>
    public LogCapture Logs { get; }

    /// <summary>What the host wrote to its output and error writers.</summary>
    public StringWriter Output { get; }

    public static async Task<RunningLocalHost> StartAsync(string storageConnectionString, IReadOnlyDictionary<string, string?> settings, TimeProvider? time, CancellationToken cancellationToken)
    {
        var port = LocalHostTests.FreePort();
        var started = new TaskCompletionSource<IServiceProvider>(TaskCreationOptions.RunContinuationsAsynchronously);
        var logs = new LogCapture();
        var output = new StringWriter();
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var options = new LocalHostOptions
        {
            Port = port,
            StorageConnectionString = storageConnectionString,
            Settings = settings,
            Time = time,
            ConfigureLogging = logging => logging.AddProvider(logs),
            RunStartupCycle = false,
            EnableScheduler = false,
            Replay = (services, _, _) =>
            {
                started.TrySetResult(services);
                return Task.CompletedTask;
            },
        };
        var running = new LocalHost(options, TextWriter.Synchronized(output), TextWriter.Synchronized(output)).RunAsync(stop.Token);
        var first = await Task.WhenAny(started.Task, running).WaitAsync(TimeSpan.FromSeconds(90), cancellationToken);
        if (first != started.Task)
        {
            await stop.CancelAsync();
            stop.Dispose();
            Assert.Fail($"the local host exited with {await running} before serving:\n{output}");
        }

        return new RunningLocalHost(port, await started.Task, logs, output, stop, running);
    }

    public HttpClient Client() => new() { BaseAddress = BaseAddress };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        var code = await _running;
        _stop.Dispose();
        Assert.Equal(0, code);
    }
}
