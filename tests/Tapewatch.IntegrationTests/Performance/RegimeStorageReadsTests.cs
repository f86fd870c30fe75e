using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Core.Flows;
using Tapewatch.Infrastructure.Flows;
using Tapewatch.Infrastructure.Api;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.IntegrationTests.Derivatives;
using Tapewatch.IntegrationTests.Faults;
using Tapewatch.TestSupport;

namespace Tapewatch.IntegrationTests.Performance;

/// <summary>GET /api/regime reads at most one Table entity per request (a counting pipeline policy sees every storage call).</summary>
public sealed class RegimeStorageReadsTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Now = new(2025, 11, 12, 15, 0, 0, TimeSpan.Zero);

    private const string Csv = """
        date,IBIT,FBTC,Total
        2025-11-05,-100.0,-37.0,-137.0
        2025-11-06,200.0,39.9,239.9
        2025-11-07,-500.0,-58.4,-558.4
        2025-11-10,1.0,0.2,1.2
        2025-11-11,500.0,24.0,524.0
        """;

    [Theory]
    [InlineData("0")] // cache off: exactly one point read per request
    [InlineData(null)] // default 1 s cache: one read for the whole burst
    public async Task Regime_reads_at_most_one_table_entity_per_request(string? cacheMilliseconds)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var storage = await FaultStorage.StartAsync(azurite, ct);
        var counter = new StorageRequestCounter(storage.Process.TablePort, storage.Process.QueuePort);
        await using var sp = FaultServices.Build(storage.Process, new FixedNowTimeProvider(Now), counter, new Dictionary<string, string?> { [RegimeEndpoint.CacheSetting] = cacheMilliseconds });
        await sp.GetRequiredService<EtfFlowsIngestionService>().ImportAsync(EtfFlowFile.Parse(Csv.Replace("\r", "", StringComparison.Ordinal), EtfFlowFileFormat.Csv, "file:seed.csv"), null, null, ct);
        Assert.Equal(1, await FaultServices.DrainEvaluationsAsync(sp, ct));

        var (status, _, first) = await FaultServices.InvokeAsync(sp, typeof(RegimeEndpoint), "GET", "", ct: ct); // table clients exist from here on
        Assert.Equal(200, status);
        counter.Reset();

        const int Requests = 64;
        var results = await Task.WhenAll(Enumerable.Range(0, Requests).Select(_ => FaultServices.InvokeAsync(sp, typeof(RegimeEndpoint), "GET", "", ct: ct)));
        Assert.All(results, r => Assert.Equal((200, first), (r.Status, r.Body)));
        var reads = counter.Requests;
        Assert.All(reads, r => Assert.True(r.IsPointRead && r.Resource.EndsWith($"{TableNames.Evaluations}(PartitionKey='{EvaluationStore.CurrentPartition}',RowKey='{EvaluationStore.CurrentRow}')", StringComparison.Ordinal), r.ToString()));
        if (cacheMilliseconds == "0") Assert.Equal(Requests, reads.Count);
        else Assert.True(reads.Count <= 1, $"{reads.Count} reads for {Requests} requests within the cache window");

        // A save by the evaluator in this process is served at once (the cache is invalidated), still with one read.
        var revised = Csv.Replace("2025-11-11,500.0,24.0,524.0", "2025-11-11,700.0,24.0,724.0", StringComparison.Ordinal);
        await sp.GetRequiredService<EtfFlowsIngestionService>().ImportAsync(EtfFlowFile.Parse(revised.Replace("\r", "", StringComparison.Ordinal), EtfFlowFileFormat.Csv, "file:v2.csv"), null, null, ct);
        Assert.Equal(1, await FaultServices.DrainEvaluationsAsync(sp, ct));
        counter.Reset();
        var (_, _, after) = await FaultServices.InvokeAsync(sp, typeof(RegimeEndpoint), "GET", "", ct: ct);
        Assert.Contains("\"sessionTotalUsdM\":724", after, StringComparison.Ordinal);
        Assert.Single(counter.Requests, r => r.IsTable);
    }

    /// <summary>
    /// When the cached copy expires, no request waits on storage: the request that finds it expired starts one read of the
    /// next copy, and it and every request during that read get the cached copy; once the read completes, the new one.
    /// </summary>
    [Fact]
    public async Task An_expired_copy_is_served_while_one_read_fetches_the_next()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var storage = await FaultStorage.StartAsync(azurite, ct);
        var counter = new StorageRequestCounter(storage.Process.TablePort, storage.Process.QueuePort);
        await using var sp = FaultServices.Build(storage.Process, new FixedNowTimeProvider(Now), counter);
        var ingestion = sp.GetRequiredService<EtfFlowsIngestionService>();
        await ingestion.ImportAsync(EtfFlowFile.Parse(Csv.Replace("\r", "", StringComparison.Ordinal), EtfFlowFileFormat.Csv, "file:seed.csv"), null, null, ct);
        Assert.Equal(1, await FaultServices.DrainEvaluationsAsync(sp, ct));

        // This store is "another instance" of the API: the evaluator's saves (through the app's store) do not invalidate it.
        var clock = new FakeTimeProvider(Now);
        var api = new EvaluationStore(sp.GetRequiredService<TapewatchStorage>()) { CacheClock = clock };
        var maxAge = TimeSpan.FromSeconds(1);
        var v1 = await api.GetCurrentJsonUtf8Async(maxAge, ct);
        Assert.Contains("\"sessionTotalUsdM\":524", Text(v1), StringComparison.Ordinal);

        var revised = Csv.Replace("2025-11-11,500.0,24.0,524.0", "2025-11-11,700.0,24.0,724.0", StringComparison.Ordinal);
        await ingestion.ImportAsync(EtfFlowFile.Parse(revised.Replace("\r", "", StringComparison.Ordinal), EtfFlowFileFormat.Csv, "file:v2.csv"), null, null, ct);
        Assert.Equal(1, await FaultServices.DrainEvaluationsAsync(sp, ct));

        counter.Reset();
        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Same(v1, await api.GetCurrentJsonUtf8Async(maxAge, ct)); // still fresh: no read
        Assert.Empty(counter.Requests);

        // Expired: hold the read of the next copy in storage; every request meanwhile gets v1 at once.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        counter.BeforeSend = (_, r) => r.IsTable ? release.Task : Task.CompletedTask;
        clock.Advance(TimeSpan.FromMilliseconds(2));
        for (var i = 0; i < 10; i++)
        {
            var served = api.GetCurrentJsonUtf8Async(maxAge, ct);
            Assert.True(served.IsCompletedSuccessfully, $"request {i} waited for storage");
            Assert.Same(v1, await served);
        }

        Assert.Equal(1, counter.Count); // one read started (and held)
        release.SetResult();

        byte[]? v2 = null;
        for (var i = 0; i < 200 && (v2 is null || ReferenceEquals(v2, v1)); i++)
        {
            await Task.Delay(10, ct);
            v2 = await api.GetCurrentJsonUtf8Async(maxAge, ct);
        }

        Assert.Contains("\"sessionTotalUsdM\":724", Text(v2), StringComparison.Ordinal);
        Assert.Single(counter.Requests, r => r.IsTable && r.IsPointRead); // the one read served them all
        Assert.Equal(1, counter.Count);
    }

    private static string Text(byte[]? utf8) => utf8 is null ? "(none)" : System.Text.Encoding.UTF8.GetString(utf8);
}
