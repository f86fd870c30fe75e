using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tapewatch.Infrastructure;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Local.Hosting;
using Tapewatch.Infrastructure.Hosting;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.Core.Weekly;
using Tapewatch.Infrastructure.Weekly;
using Tapewatch.TestSupport;
using Tapewatch.Infrastructure.Ingestion;

namespace Tapewatch.IntegrationTests.Weekly;

/// <summary>
/// A private Azurite (the weekly table keys, e.g. week 2025-11-07, and the "weekly-flows" run row are fixed
/// names, so these tests do not share the assembly's Azurite), the app's services on it, a fake clock
/// and a fake feed.
/// </summary>
internal sealed class WeeklyHarness : IAsyncDisposable
{
    private readonly AzuriteProcess _azurite;
    private readonly ServiceProvider _services;

    private WeeklyHarness(AzuriteProcess azurite, ServiceProvider services, FakeTimeProvider time, FeedHandler feed, string queueName)
    {
        _azurite = azurite;
        _services = services;
        Time = time;
        Feed = feed;
        QueueName = queueName;
    }

    public FakeTimeProvider Time { get; }

    public FeedHandler Feed { get; }

    public string QueueName { get; }

    public string ConnectionString => _azurite.ConnectionString;

    public IServiceProvider Services => _services;

    public WeeklyFlowStore Store => _services.GetRequiredService<WeeklyFlowStore>();

    public WeeklyFlowIngestion Ingestion => _services.GetRequiredService<WeeklyFlowIngestion>();

    public static async Task<WeeklyHarness> StartAsync(AzuriteFixture shared, DateTimeOffset nowUtc)
    {
        shared.Require(); // skips (or fails under CI) when Azurite cannot run at all
        var azurite = await AzuriteProcess.StartAsync(searchFrom: TestPaths.RepoRoot, timeout: TimeSpan.FromSeconds(60), cancellationToken: TestContext.Current.CancellationToken);
        var queueName = "weekly-eval";
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tapewatch:Storage:ConnectionString"] = azurite.ConnectionString,
            [AppSettingNames.EvaluationQueueName] = queueName,
            ["Tapewatch:Weekly:FeedUrl"] = "https://feed.test/feed",
            // The pipeline runs on the app's TimeProvider (the fake clock here): no waiting between retries.
            ["Tapewatch:Weekly:RetryDelay"] = "00:00:00",
        }).Build();
        var time = new FakeTimeProvider(nowUtc);
        var feed = new FeedHandler();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<IConfiguration>(config);
        services.AddTapewatchApp(config);
        services.AddHttpClient<CoinSharesFeedClient>().ConfigurePrimaryHttpMessageHandler(() => feed);
        return new WeeklyHarness(azurite, services.BuildServiceProvider(), time, feed, queueName);
    }

    /// <summary>Storage goes away (the process is killed; every later storage call fails).</summary>
    public void KillStorage() => _azurite.Kill();

    public WeeklyFlowsIngestionJob Job()
    {
        var definition = _services.GetServices<ScheduledJobDefinition>().Single(d => d.Name == WeeklyFlowsIngestionJob.Name);
        return (WeeklyFlowsIngestionJob)_services.GetRequiredService(definition.JobType);
    }

    public async Task<IReadOnlyList<EvaluationRequest>> EvaluationRequestsAsync(string? queueName = null)
    {
        var queue = new QueueClient(ConnectionString, queueName ?? QueueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        if (!(await queue.ExistsAsync(TestContext.Current.CancellationToken)).Value) return [];
        var messages = (await queue.PeekMessagesAsync(32, TestContext.Current.CancellationToken)).Value;
        return messages.Select(m => EvaluationRequest.Parse(m.Body.ToString())).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _azurite.DisposeAsync();
    }
}

/// <summary>The fake research-blog feed: answers whatever <see cref="Next"/> says and counts requests.</summary>
internal sealed class FeedHandler : HttpMessageHandler
{
    private int _requests;

    public Func<HttpResponseMessage> Next { get; set; } = () => new HttpResponseMessage(System.Net.HttpStatusCode.ServiceUnavailable);

    public int Requests => _requests;

    public void Serve(string xml) => Next = () => new HttpResponseMessage(System.Net.HttpStatusCode.OK)
    {
        Content = new StringContent(xml, System.Text.Encoding.UTF8, "application/rss+xml"),
    };

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        return Task.FromResult(Next());
    }
}

internal static class WeeklyFixtureFiles
{
    /// <summary>The unit-test fixtures (tests/Tapewatch.Tests/Fixtures/Weekly), read from the repository.</summary>
    public static string Path(string name) => System.IO.Path.Combine(TestPaths.RepoRoot, "tests", "Tapewatch.Tests", "Fixtures", "Weekly", name);

    public static string Text(string name) => File.ReadAllText(Path(name));
}
