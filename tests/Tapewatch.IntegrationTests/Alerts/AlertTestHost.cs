using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Tapewatch.Infrastructure;
using Tapewatch.Core.Alerts;
using Tapewatch.Infrastructure.Alerts;
using Tapewatch.Local.Hosting;
using Tapewatch.Infrastructure.Hosting;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.TestSupport;

namespace Tapewatch.IntegrationTests.Alerts;

/// <summary>
/// A private Azurite per test (the Alerts/Notifications/Silences tables have fixed names and one cursor, so tests must
/// not share them) and service providers wired like the hosts (AddTapewatchApp) with a fake clock and captured logs.
/// </summary>
internal sealed class AlertTestHost : IAsyncDisposable
{
    private readonly List<ServiceProvider> _providers = [];

    private AlertTestHost(AzuriteProcess azurite) => Azurite = azurite;

    public AzuriteProcess Azurite { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 11, 3, 22, 0, 0, TimeSpan.Zero));

    public LogCapture Logs { get; } = new();

    public static async Task<AlertTestHost> StartAsync()
    {
        try
        {
            return new AlertTestHost(await AzuriteProcess.StartAsync(searchFrom: TestPaths.RepoRoot, timeout: TimeSpan.FromSeconds(60)));
        }
        catch (AzuriteUnavailableException ex)
        {
            if (TestPaths.IsCi) throw new InvalidOperationException("CI=true but Azurite could not start: " + ex.Message, ex);
            Assert.Skip("Azurite is not available: " + ex.Message);
            throw;
        }
    }

    /// <summary>One "evaluator instance": its own container (own channels, own HttpClient) on the shared storage and clock.</summary>
    public ServiceProvider Services(IDictionary<string, string?> settings, Action<IServiceCollection>? configure = null)
    {
        var all = new Dictionary<string, string?>(settings)
        {
            ["Tapewatch:Storage:ConnectionString"] = Azurite.ConnectionString,
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(all).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<TimeProvider>(new FakeClockRealTimers(Time));
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        services.AddTapewatchApp(configuration);
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        _providers.Add(provider);
        return provider;
    }

    public static AlertListener Listener(IServiceProvider services) =>
        (AlertListener)Assert.Single(services.GetServices<IEvaluationListener>());

    public static RegimeEvaluation CautionTriggered(DateOnly session) => new()
    {
        AsOfSession = session,
        Provisional = false,
        Regime = Regime.Caution,
        Headline = "Caution: four red sessions in a row <b>(−1,208.4m this week)</b>",
        Scenarios =
        [
            new ScenarioResult
            {
                Scenario = ScenarioKind.Caution,
                Status = ScenarioStatus.Triggered,
                StreakLength = 4,
                StreakTarget = 4,
                EpisodeStart = session,
                Summary = "Red streak 4 of 4",
                Conditions =
                [
                    new ConditionResult { Id = "caution.trigger.streak", Text = "Last 4 sessions each < 0", IsTrigger = true, Observed = "−186.5 (streak 4 of 4)", ObservedValue = -186.5m, Threshold = "< 0", Met = true, AsOf = session, Dataset = Datasets.EtfFlows, Source = "farside" },
                    new ConditionResult { Id = "caution.confirm.coinshares", Text = "Latest CoinShares week ≤ −1,000", Threshold = "≤ −1,000", Met = null, UnknownReason = "the week's report is not out", Dataset = Datasets.WeeklyFlows },
                    new ConditionResult { Id = "caution.confirm.basis", Text = "3m basis ≤ 3%", Observed = "4.1%", Threshold = "≤ 3%", Met = false, Dataset = Datasets.Derivatives, Source = "okx" },
                ],
            },
            new ScenarioResult { Scenario = ScenarioKind.Rebuild, Status = ScenarioStatus.Idle, StreakLength = 0, StreakTarget = 3, Conditions = [] },
            new ScenarioResult { Scenario = ScenarioKind.Snapback, Status = ScenarioStatus.Idle, StreakLength = 0, StreakTarget = 1, Conditions = [] },
        ],
        Signals = [],
        Freshness =
        [
            new DatasetFreshness { Dataset = Datasets.EtfFlows, Stale = false, LatestAsOf = session, LastUpdatedUtc = new DateTimeOffset(2025, 11, 3, 21, 30, 0, TimeSpan.Zero) },
            new DatasetFreshness { Dataset = Datasets.WeeklyFlows, Stale = false, LatestAsOf = new DateOnly(2025, 10, 31), LastUpdatedUtc = new DateTimeOffset(2025, 11, 3, 12, 0, 0, TimeSpan.Zero) },
            new DatasetFreshness { Dataset = Datasets.Derivatives, Stale = false, LatestAsOf = session, LastUpdatedUtc = new DateTimeOffset(2025, 11, 3, 21, 0, 0, TimeSpan.Zero) },
        ],
        EvaluatedUtc = new DateTimeOffset(2025, 11, 3, 22, 0, 0, TimeSpan.Zero),
    };

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var p in _providers) await p.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}

/// <summary>
/// The wall clock of a FakeTimeProvider (sessions, cut-offs, silences) with real timers, so back-off delays
/// (MailKit retry loop, the Teams resilience pipeline, ledger-conflict retries) elapse instead of waiting for Advance().
/// </summary>
internal sealed class FakeClockRealTimers(FakeTimeProvider clock) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => clock.GetUtcNow();

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        System.CreateTimer(callback, state, dueTime, period);

    public override long GetTimestamp() => System.GetTimestamp();

    public override long TimestampFrequency => System.TimestampFrequency;
}

/// <summary>Every log line (formatted message + exception text) from every category.</summary>
internal sealed class LogCapture : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, string Category, string Text)> Entries { get; } = new();

    public string All => string.Join('\n', Entries.Select(e => $"{e.Level} {e.Category}: {e.Text}"));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = formatter(state, exception);
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs) text += " | " + string.Join(", ", pairs.Select(p => $"{p.Key}={p.Value}"));
            if (exception is not null) text += " | " + exception;
            owner.Entries.Enqueue((logLevel, category, text));
        }
    }
}

/// <summary>A loopback HTTP endpoint standing in for the Teams Workflows webhook: records bodies, answers scripted statuses.</summary>
internal sealed class FakeWebhook : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly ConcurrentQueue<int> _statuses;

    public FakeWebhook(params int[] statuses)
    {
        _statuses = new ConcurrentQueue<int>(statuses);
        Port = AlertTestHost.FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    /// <summary>A URL shaped like a Workflows URL, with a signature that must never be logged.</summary>
    public Uri Url => new($"http://127.0.0.1:{Port}/workflows/4f1c9d2e/triggers/manual/paths/invoke?api-version=2016-06-01&sig=TopSecretSig0123456789");

    public ConcurrentQueue<(string Body, string? UserAgent, string? ContentType)> Requests { get; } = new();

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream);
            Requests.Enqueue((await reader.ReadToEndAsync(), context.Request.UserAgent, context.Request.ContentType));
            context.Response.StatusCode = _statuses.TryDequeue(out var s) ? s : 202;
            if (context.Response.StatusCode == 400)
            {
                var bytes = System.Text.Encoding.UTF8.GetBytes("{\"error\":{\"code\":\"InvalidRequestContent\",\"message\":\"bad card\"}}");
                await context.Response.OutputStream.WriteAsync(bytes);
            }

            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
