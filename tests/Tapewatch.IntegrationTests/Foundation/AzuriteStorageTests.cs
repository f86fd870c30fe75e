using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Tapewatch.Core.Evaluation;
using Tapewatch.Core.Storage;
using Tapewatch.TestSupport;

namespace Tapewatch.IntegrationTests.Foundation;

public sealed class AzuriteStorageTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Writes_and_reads_a_table_entity()
    {
        var ct = TestContext.Current.CancellationToken;
        var table = azurite.TableService().GetTableClient(azurite.UniqueName("roundtrip"));
        await table.CreateIfNotExistsAsync(ct);
        var entity = new TableEntity("2025-11", "2025-11-07") { ["TotalUsd"] = -558_400_000L, ["Source"] = "farside" };
        await table.AddEntityAsync(entity, ct);

        var read = (await table.GetEntityAsync<TableEntity>("2025-11", "2025-11-07", cancellationToken: ct)).Value;
        Assert.Equal(-558_400_000L, read.GetInt64("TotalUsd"));
        Assert.Equal("farside", read.GetString("Source"));
    }

    [Fact]
    public async Task Evaluation_request_roundtrips_through_the_queue()
    {
        var ct = TestContext.Current.CancellationToken;
        var queueName = azurite.UniqueName("eval");
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [AppSettingNames.EvaluationQueueName] = queueName }).Build();
        var storage = new TapewatchStorage(Options.Create(new StorageOptions { ConnectionString = azurite.ConnectionString }), config);
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2025, 11, 7, 21, 30, 0, TimeSpan.Zero));
        await new EvaluationQueue(storage, time).EnqueueAsync("etf-flows", new DateOnly(2025, 11, 7), ct);

        // Read it as the Functions queue trigger would: Base64-encoded text.
        var raw = azurite.QueueService().GetQueueClient(queueName);
        var message = (await raw.ReceiveMessageAsync(cancellationToken: ct)).Value;
        Assert.NotNull(message);
        var request = EvaluationRequest.Parse(message.Body.ToString());
        Assert.Equal("etf-flows", request.Reason);
        Assert.Equal(new DateOnly(2025, 11, 7), request.ChangedFrom);
        Assert.Equal(time.GetUtcNow(), request.RequestedUtc);
    }
}
