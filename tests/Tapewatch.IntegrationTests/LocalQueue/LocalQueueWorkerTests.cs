using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.Local.Hosting;
using Tapewatch.TestSupport;

namespace Tapewatch.IntegrationTests.LocalQueue;

public sealed class LocalQueueWorkerTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Handled_message_is_deleted()
    {
        var ct = TestContext.Current.CancellationToken;
        var (storage, queueName) = NewStorage();
        var queue = await storage.QueueAsync(queueName, ct);
        await queue.SendMessageAsync("{\"reason\":\"test\",\"requestedUtc\":\"2025-11-07T21:00:00Z\"}", ct);
        var seen = new List<string>();
        var worker = Worker(storage, (_, text, _) => { seen.Add(text); return Task.CompletedTask; }, TimeSpan.FromSeconds(30));

        Assert.Equal(1, await worker.DrainAsync(ct));
        Assert.Single(seen);
        Assert.Equal(0, (await queue.GetPropertiesAsync(ct)).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task Message_failing_five_times_moves_to_the_poison_queue()
    {
        var ct = TestContext.Current.CancellationToken;
        var (storage, queueName) = NewStorage();
        var queue = await storage.QueueAsync(queueName, ct);
        await queue.SendMessageAsync("always fails", ct);
        var attempts = 0;
        var worker = Worker(storage, (_, _, _) => { attempts++; throw new InvalidOperationException("boom"); }, TimeSpan.Zero);

        Assert.Equal(0, await worker.DrainAsync(ct));
        Assert.Equal(LocalQueueWorker.MaxDequeueCount, attempts);
        Assert.Equal(0, (await queue.GetPropertiesAsync(ct)).Value.ApproximateMessagesCount);
        var poison = await storage.QueueAsync(queueName + "-poison", ct);
        var poisoned = (await poison.ReceiveMessageAsync(cancellationToken: ct)).Value;
        Assert.Equal("always fails", poisoned.Body.ToString());
    }

    [Fact]
    public async Task Failed_message_stays_invisible_for_the_visibility_timeout()
    {
        var ct = TestContext.Current.CancellationToken;
        var (storage, queueName) = NewStorage();
        var queue = await storage.QueueAsync(queueName, ct);
        await queue.SendMessageAsync("fails once", ct);
        var worker = Worker(storage, (_, _, _) => throw new InvalidOperationException("transient"), TimeSpan.FromSeconds(30));

        Assert.Equal(0, await worker.DrainAsync(ct));
        Assert.Null((await queue.ReceiveMessageAsync(cancellationToken: ct)).Value);
        Assert.Equal(1, (await queue.GetPropertiesAsync(ct)).Value.ApproximateMessagesCount);
    }

    private (TapewatchStorage Storage, string QueueName) NewStorage()
    {
        var queueName = azurite.UniqueName("localq");
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [AppSettingNames.EvaluationQueueName] = queueName }).Build();
        return (new TapewatchStorage(Options.Create(new StorageOptions { ConnectionString = azurite.ConnectionString }), config), queueName);
    }

    private static LocalQueueWorker Worker(TapewatchStorage storage, QueueMessageHandler handler, TimeSpan visibility) =>
        new(storage, new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>(), handler, TimeProvider.System, NullLogger<LocalQueueWorker>.Instance)
        {
            VisibilityTimeout = visibility,
        };
}
