using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.TestSupport;
using Tapewatch.Infrastructure.Ingestion;

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
    public async Task Recording_an_ingestion_run_emits_the_named_telemetry_event_and_shows_in_the_latest_runs()
    {
        var ct = TestContext.Current.CancellationToken;
        var storage = new TapewatchStorage(Options.Create(new StorageOptions { ConnectionString = azurite.ConnectionString }), new ConfigurationBuilder().Build());
        var logger = new CapturingLogger<Tapewatch.Infrastructure.Ingestion.IngestionRunLog>();
        var log = new Tapewatch.Infrastructure.Ingestion.IngestionRunLog(storage, logger);
        var dataset = azurite.UniqueName("telemetry");
        var at = new DateTimeOffset(2025, 11, 7, 21, 30, 0, TimeSpan.Zero);
        await log.RecordAsync(new Tapewatch.Infrastructure.Ingestion.IngestionRun { Dataset = dataset, Source = "farside", Outcome = Tapewatch.Infrastructure.Ingestion.RunOutcome.SourceBlocked, StartedUtc = at, FinishedUtc = at, Error = "Cloudflare challenge (403)" }, ct);

        var (eventId, message) = Assert.Single(logger.Entries);
        Assert.Equal(Tapewatch.Infrastructure.Hosting.TelemetryEvents.IngestionRun, eventId);
        Assert.Contains("SourceBlocked", message, StringComparison.Ordinal);
        Assert.Contains(await log.LatestAsync(ct), r => r.Dataset == dataset && r.Error == "Cloudflare challenge (403)");
    }

    private sealed class CapturingLogger<T> : Microsoft.Extensions.Logging.ILogger<T>
    {
        public List<(Microsoft.Extensions.Logging.EventId EventId, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((eventId, formatter(state, exception)));
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
