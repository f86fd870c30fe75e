using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.WebJobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Tapewatch.Infrastructure;
using Tapewatch.Core.Alerts;
using Tapewatch.Infrastructure.Alerts;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Infrastructure.Health;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.TestSupport;
using Tapewatch.Infrastructure.Api;
using Tapewatch.Infrastructure.Ingestion;

namespace Tapewatch.IntegrationTests.Alerts;

/// <summary>
/// The real WebJobs queue listener (the engine of the Functions queue trigger) against Azurite: a message whose handler
/// always fails (as an evaluation whose alert delivery keeps failing does) is dequeued 5 times and then moved to
/// "&lt;queue&gt;-poison"; /api/health then reports the poison depth and "degraded".
/// </summary>
public sealed class PoisonQueueTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Always_failing_message_goes_to_the_poison_queue_after_5_attempts_and_health_reports_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var queueName = azurite.UniqueName("evalpoison");
        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            [AppSettingNames.EvaluationQueueName] = queueName,
            ["Tapewatch:Storage:ConnectionString"] = azurite.ConnectionString,
        };

        // Enqueue the way the app does (Base64, as the trigger expects).
        var appServices = new ServiceCollection();
        var appConfig = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        appServices.AddSingleton<IConfiguration>(appConfig);
        appServices.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2025, 11, 3, 22, 0, 0, TimeSpan.Zero)));
        appServices.AddLogging();
        appServices.AddTapewatchApp(appConfig);
        await using var app = appServices.BuildServiceProvider();
        await app.GetRequiredService<EvaluationQueue>().EnqueueAsync("etf-flows", new DateOnly(2025, 11, 3), ct);

        AlwaysFailingEvaluator.Reset();
        var logs = new LogCapture();
        using var host = new HostBuilder()
            .ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Information).AddProvider(logs))
            .ConfigureWebJobs(b => b.AddAzureStorageQueues(o =>
            {
                o.MaxDequeueCount = 5;
                o.BatchSize = 1;
                o.NewBatchThreshold = 0;
                o.VisibilityTimeout = TimeSpan.Zero;
                o.MaxPollingInterval = TimeSpan.FromMilliseconds(200);
            }))
            // After ConfigureWebJobs, which adds appsettings.json (the CLI's, copied here) and the environment.
            .ConfigureAppConfiguration(c => c.AddInMemoryCollection(settings))
            .ConfigureServices(s => s.AddSingleton<ITypeLocator>(new OnlyTheseTypes(typeof(AlwaysFailingEvaluator))))
            .Build();
        await host.StartAsync(ct);
        var poison = azurite.QueueService().GetQueueClient(AppSettingNames.PoisonQueueOf(queueName));
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (DateTime.UtcNow < deadline)
        {
            if ((await poison.ExistsAsync(ct)).Value && (await poison.GetPropertiesAsync(ct)).Value.ApproximateMessagesCount > 0) break;
            await Task.Delay(200, ct);
        }

        await host.StopAsync(ct);

        Assert.True(AlwaysFailingEvaluator.Attempts == 5, $"{AlwaysFailingEvaluator.Attempts} attempts; host log:\n{string.Join('\n', logs.Entries.Where(e => e.Level >= LogLevel.Information).Select(e => e.Category + ": " + e.Text.Split(" | ")[0]).Take(60))}");
        Assert.Equal(1, (await poison.GetPropertiesAsync(ct)).Value.ApproximateMessagesCount);
        Assert.Equal(0, (await azurite.QueueService().GetQueueClient(queueName).GetPropertiesAsync(ct)).Value.ApproximateMessagesCount);

        // GET /api/health through the shared handler.
        using var scope = app.CreateScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Response.Body = new MemoryStream();
        var result = await scope.ServiceProvider.GetRequiredService<HealthEndpoint>().HandleAsync(context.Request, ct);
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        using var doc = await JsonDocument.ParseAsync(context.Response.Body, cancellationToken: ct);
        var queue = doc.RootElement.GetProperty("evaluationQueue");
        Assert.Equal(queueName, queue.GetProperty("name").GetString());
        Assert.Equal(1, queue.GetProperty("poisonDepth").GetInt32());
        Assert.Equal(0, queue.GetProperty("approximateDepth").GetInt32());
        Assert.Equal("degraded", doc.RootElement.GetProperty("status").GetString());
    }

    private sealed class OnlyTheseTypes(params Type[] types) : ITypeLocator
    {
        public IReadOnlyList<Type> GetTypes() => types;
    }
}

/// <summary>A stand-in for the evaluator function: parses the request like the real one, then fails every time.</summary>
public static class AlwaysFailingEvaluator
{
    private static int _attempts;

    public static int Attempts => Volatile.Read(ref _attempts);

    public static void Reset() => Interlocked.Exchange(ref _attempts, 0);

    [FunctionName("AlwaysFailingEvaluator")]
    public static void Run([QueueTrigger("%" + AppSettingNames.EvaluationQueueName + "%")] string message)
    {
        _ = EvaluationRequest.Parse(message);
        Interlocked.Increment(ref _attempts);
        throw new AlertDeliveryFailedException("1 notification(s) still owed on email: SMTP 127.0.0.1:25 failed");
    }
}
