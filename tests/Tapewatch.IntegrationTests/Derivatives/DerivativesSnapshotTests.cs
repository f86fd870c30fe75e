using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Tapewatch.Core.Derivatives;
using Tapewatch.Core.Hosting;
using Tapewatch.Core.Ingestion;
using Tapewatch.Core.Storage;
using Tapewatch.TestSupport;

namespace Tapewatch.IntegrationTests.Derivatives;

/// <summary>The daily snapshot against a private Azurite (its own, so the fixed table names do not collide).</summary>
public sealed class DerivativesSnapshotTests(AzuriteFixture shared)
{
    [Fact]
    public async Task Daily_snapshot_is_stored_once_and_an_unchanged_second_run_enqueues_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        shared.Require(); // a skip without Node/Azurite locally, a failure under CI; past this, a private Azurite that fails to start fails the test
        var azurite = await AzuriteProcess.StartAsync(searchFrom: TestPaths.RepoRoot, timeout: TimeSpan.FromSeconds(60), cancellationToken: ct);
        await using (azurite)
        {
            var settings = new Dictionary<string, string?>
            {
                ["Tapewatch:Storage:ConnectionString"] = azurite.ConnectionString,
                [AppSettingNames.EvaluationQueueName] = "derivatives-eval",
            };
            await using var provider = DerivativesServices.Build(settings, new FixedNowTimeProvider(new DateTimeOffset(2026, 1, 13, 21, 31, 0, TimeSpan.Zero)));
            var ingestion = provider.GetRequiredService<DerivativesIngestion>();
            var request = new DerivativesRunRequest { RecordedDirectory = DerivativesServices.Fixtures };
            var queue = new QueueClient(azurite.ConnectionString, "derivatives-eval");

            var first = await ingestion.RunAsync(request, ct);
            Assert.Equal("inserted", first.SnapshotAction);
            Assert.True(first.EvaluationEnqueued);
            Assert.Equal(7, first.HourlyRowsWritten); // five venues, Coinalyze (reported alongside) + the composite
            Assert.Equal(1, (await queue.GetPropertiesAsync(ct)).Value.ApproximateMessagesCount);

            var stored = await provider.GetRequiredService<DerivativesDailyStore>().GetAsync(new DateOnly(2026, 1, 13), ct);
            Assert.NotNull(stored);
            var daily = stored.Value.Reading;
            Assert.Equal(7.8852m, daily.Basis3mAnnualizedPct);
            Assert.Equal(199_100.5m, daily.OffshoreOpenInterestBtc);
            Assert.Equal(2m, daily.OffshoreOpenInterestChange5SessionsPct);
            Assert.Equal(123_000m, daily.CmeOpenInterestBtc);
            Assert.Equal(2_300m, daily.CmeOpenInterestChangeBtc);
            Assert.Equal(new DateOnly(2026, 1, 6), daily.CmeReportDate);
            Assert.Equal(95_123.45m, daily.BtcCloseUsd);
            Assert.Equal(["binance", "deribit", "okx"], daily.BasisVenues);
            Assert.DoesNotContain("coinalyze", daily.Venues); // an aggregate: reported, not a contributor
            Assert.DoesNotContain("coinalyze", daily.OpenInterestVenues);
            Assert.Equal(new DateTimeOffset(2026, 1, 13, 21, 29, 58, 500, TimeSpan.Zero), daily.AsOfUtc); // median of the venues' times (OKX)

            var second = await ingestion.RunAsync(request, ct);
            Assert.Equal("unchanged", second.SnapshotAction);
            Assert.False(second.EvaluationEnqueued);
            Assert.Equal(0, second.HourlyRowsWritten);
            Assert.Equal(1, (await queue.GetPropertiesAsync(ct)).Value.ApproximateMessagesCount);

            var latest = (await provider.GetRequiredService<IngestionRunLog>().LatestAsync(ct)).ToDictionary(r => r.Dataset);
            Assert.Equal(RunOutcome.Succeeded, latest["derivatives"].Outcome);
            Assert.False(latest["derivatives"].EvaluationEnqueued);
            Assert.Equal(RunOutcome.Succeeded, latest["derivatives-deribit"].Outcome);
            Assert.Equal(RunOutcome.Succeeded, latest["cftc-cot"].Outcome);
            Assert.Equal(RunOutcome.Succeeded, latest["btc-close"].Outcome);
        }
    }
}
