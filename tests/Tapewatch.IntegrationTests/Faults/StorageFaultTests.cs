using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Tapewatch.Core.Domain;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Core.Flows;
using Tapewatch.Infrastructure.Flows;
using Tapewatch.Infrastructure.Ingestion;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.Core.Time;
using Tapewatch.IntegrationTests.Derivatives;
using Tapewatch.IntegrationTests.Flows;
using Tapewatch.TestSupport;

namespace Tapewatch.IntegrationTests.Faults;

/// <summary>
/// Azurite killed in the middle of an ingest (a storage pipeline policy kills it before the N-th request) and restarted on
/// the same data folder. Azurite persists every 5 s, so the hook waits 5.5 s before killing: what was written before the
/// fault is on disk. The ingestion must not throw, must record the failure, and the next run must complete the work.
/// </summary>
public sealed class StorageFaultTests(AzuriteFixture azurite)
{
    // Thu 8 Jan 2026 15:00 UTC: every session up to Wed 7 Jan is closed and past the 14:00 UTC cut-off (final).
    private static readonly DateTimeOffset Now = new(2026, 1, 8, 15, 0, 0, TimeSpan.Zero);
    private static readonly string[] Funds = ["IBIT", "FBTC", "GBTC"];
    private static readonly TimeSpan PersistWait = TimeSpan.FromSeconds(5.5);

    /// <summary>Sessions 9 Dec 2025 – 7 Jan 2026: two partitions (2025: 16 sessions, 2026: 4), so two entity-group transactions.</summary>
    internal static IReadOnlyList<FarsideMarkup.Row> Rows { get; } = TradingCalendar.Default
        .Sessions(new DateOnly(2025, 12, 9), new DateOnly(2026, 1, 7))
        .Select((d, i) => new FarsideMarkup.Row(d, [100m + i, -(20m + i / 10m), i % 3 == 0 ? null : 1.5m]))
        .ToList();

    private static readonly string Page = FarsideMarkup.Page(Funds, Rows);

    [Fact]
    public async Task Azurite_killed_in_the_middle_of_an_ingest_batch_leaves_each_partition_whole_and_the_next_run_completes_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var storage = await FaultStorage.StartAsync(azurite, ct);
        await using var source = await LoopbackServer.StartAsync((c, _) => LoopbackServer.Html(c, Page));
        var time = new FixedNowTimeProvider(Now);
        var settings = new Dictionary<string, string?> { ["Tapewatch:Flows:Farside:BaseUrl"] = source.BaseUrl.ToString() };

        var counter = new StorageRequestCounter(storage.Process.TablePort, storage.Process.QueuePort);
        var batches = 0;
        var afterKill = 0;
        var process = storage.Process;
        counter.BeforeSend = async (_, request) =>
        {
            // The batch that meets the dead Azurite goes through the SDK's own retries (4 attempts, then an AggregateException);
            // later calls fail at once, as if refused, to keep the test short.
            if (process.HasExited && Interlocked.Increment(ref afterKill) > 4) throw DownNow();
            if (!request.IsBatch || Interlocked.Increment(ref batches) != 2) return;
            await Task.Delay(PersistWait, ct); // the 2025 batch and the delayed evaluation request reach Azurite's disk
            process.Kill(); // the 2026 batch is about to be sent
        };

        EtfFlowsIngestionResult first;
        await using (var sp = FaultServices.Build(storage.Process, time, counter, settings))
        {
            first = await sp.GetRequiredService<EtfFlowsIngestionService>().RunScheduledAsync(ct); // must not throw
        }

        Assert.Equal(RunOutcome.Failed, first.Run.Outcome);
        Assert.StartsWith("storage:", first.Run.Error, StringComparison.Ordinal);
        Assert.True(batches >= 2, "the second entity-group transaction was never sent");

        await storage.RestartAsync(ct);
        await using var after = FaultServices.Build(storage.Process, time, settings: settings);
        var store = after.GetRequiredService<EtfSessionStore>();

        // Each partition is either as before the run (absent) or as after it (every session, exact values): never partial.
        var stored = await store.GetRangeAsync(new DateOnly(2025, 12, 1), new DateOnly(2026, 1, 31), ct);
        var y2025 = stored.Where(s => s.Date.Year == 2025).ToList();
        var y2026 = stored.Where(s => s.Date.Year == 2026).ToList();
        AssertMatchesPage(y2025, Rows.Where(r => r.Date.Year == 2025).ToList()); // written 5.5 s before the kill: on disk
        Assert.True(y2026.Count is 0 or 4, $"partition 2026 is partial: {y2026.Count} of 4 sessions");
        if (y2026.Count == 4) AssertMatchesPage(y2026, Rows.Where(r => r.Date.Year == 2026).ToList());

        // The next run completes it.
        var second = await after.GetRequiredService<EtfFlowsIngestionService>().RunScheduledAsync(ct);
        Assert.Equal(RunOutcome.Succeeded, second.Run.Outcome);
        Assert.Equal(4 - y2026.Count, second.Run.Inserted);
        AssertMatchesPage(await store.GetRangeAsync(new DateOnly(2025, 12, 1), new DateOnly(2026, 1, 31), ct), Rows);
        var health = await FaultServices.HealthAsync(after, EtfFlowsIngestionService.Dataset, ct);
        Assert.Equal(("ok", "Succeeded"), (health.Status, health.Outcome));

        // An evaluation is on its way: the immediate request of this run and/or the delayed one queued before the first write.
        var queue = await after.GetRequiredService<EvaluationQueue>().ClientAsync(ct);
        Assert.True((await queue.GetPropertiesAsync(ct)).Value.ApproximateMessagesCount >= 1);
    }

    [Fact]
    public async Task Azurite_killed_after_the_write_but_before_the_evaluation_request_still_gets_the_change_evaluated()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var storage = await FaultStorage.StartAsync(azurite, ct);
        await using var source = await LoopbackServer.StartAsync((c, _) => LoopbackServer.Html(c, Page));
        var time = new FixedNowTimeProvider(Now);
        var settings = new Dictionary<string, string?>
        {
            ["Tapewatch:Flows:Farside:BaseUrl"] = source.BaseUrl.ToString(),
            ["Tapewatch:Flows:EvaluationSafetyDelay"] = "00:00:02",
        };

        var counter = new StorageRequestCounter(storage.Process.TablePort, storage.Process.QueuePort);
        var sends = 0;
        var process = storage.Process;
        counter.BeforeSend = async (_, request) =>
        {
            if (process.HasExited) throw DownNow();
            // 1st message = the delayed safety request (before writing); 2nd = the immediate request (after writing).
            if (!(request.IsQueue && request.Method == "POST" && request.Resource.EndsWith("/messages", StringComparison.Ordinal))) return;
            if (Interlocked.Increment(ref sends) != 2) return;
            await Task.Delay(PersistWait, ct);
            process.Kill();
        };

        EtfFlowsIngestionResult first;
        await using (var sp = FaultServices.Build(storage.Process, time, counter, settings))
        {
            first = await sp.GetRequiredService<EtfFlowsIngestionService>().RunScheduledAsync(ct); // must not throw
        }

        Assert.Equal(RunOutcome.Failed, first.Run.Outcome);
        Assert.Contains("evaluation request failed", first.Run.Error, StringComparison.Ordinal);
        Assert.Equal(20, first.Run.Inserted);

        await storage.RestartAsync(ct);
        await using var after = FaultServices.Build(storage.Process, time, settings: settings);
        AssertMatchesPage(await after.GetRequiredService<EtfSessionStore>().GetRangeAsync(new DateOnly(2025, 12, 1), new DateOnly(2026, 1, 31), ct), Rows);

        // The delayed request (visible 2 s after it was queued) evaluates the stored change.
        await Task.Delay(TimeSpan.FromSeconds(1), ct);
        Assert.Equal(1, await FaultServices.DrainEvaluationsAsync(after, ct));
        var current = await after.GetRequiredService<EvaluationStore>().GetCurrentAsync(ct);
        Assert.Equal(new DateOnly(2026, 1, 7), current!.Value.Evaluation.AsOfSession);

        // The next run has nothing to do and says so.
        var second = await after.GetRequiredService<EtfFlowsIngestionService>().RunScheduledAsync(ct);
        Assert.True(second.UpToDate);
        var health = await FaultServices.HealthAsync(after, EtfFlowsIngestionService.Dataset, ct);
        Assert.Equal(("ok", "Succeeded"), (health.Status, health.Outcome));
    }

    [Fact]
    public async Task A_successful_run_leaves_no_delayed_evaluation_request_behind()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var storage = await FaultStorage.StartAsync(azurite, ct);
        await using var source = await LoopbackServer.StartAsync((c, _) => LoopbackServer.Html(c, Page));
        var settings = new Dictionary<string, string?> { ["Tapewatch:Flows:Farside:BaseUrl"] = source.BaseUrl.ToString() };
        await using var sp = FaultServices.Build(storage.Process, new FixedNowTimeProvider(Now), settings: settings);

        var run = await sp.GetRequiredService<EtfFlowsIngestionService>().RunScheduledAsync(ct);
        Assert.Equal((RunOutcome.Succeeded, 20, true), (run.Run.Outcome, run.Run.Inserted, run.Run.EvaluationEnqueued));
        var queue = await sp.GetRequiredService<EvaluationQueue>().ClientAsync(ct);
        Assert.Equal(1, (await queue.GetPropertiesAsync(ct)).Value.ApproximateMessagesCount); // the immediate one only
    }

    /// <summary>A refused call without the SDK's back-off (a non-zero status is not retried when thrown by a policy).</summary>
    private static Azure.RequestFailedException DownNow() => new(503, "Azurite is down (fault injection).", "ServiceUnavailable", null);

    internal static void AssertMatchesPage(IReadOnlyList<EtfSession> stored, IReadOnlyList<FarsideMarkup.Row> rows)
    {
        Assert.Equal(rows.Select(r => r.Date), stored.Select(s => s.Date));
        foreach (var (row, session) in rows.Zip(stored))
        {
            Assert.Equal(row.Funds.Sum(v => v ?? 0), session.TotalUsdM);
            Assert.Equal(row.Funds, Funds.Select(f => session.Funds[f]));
            Assert.Equal("farside", session.Source);
        }
    }
}
