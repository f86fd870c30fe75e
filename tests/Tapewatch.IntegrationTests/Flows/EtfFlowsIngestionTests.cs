using Azure.Storage.Queues;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tapewatch.Core.Domain;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Core.Flows;
using Tapewatch.Infrastructure.Flows;
using Tapewatch.Infrastructure.Ingestion;
using Tapewatch.Infrastructure.Storage;

namespace Tapewatch.IntegrationTests.Flows;

/// <summary>The reconciling ingestion against a private Azurite. Each test uses its own dates and evaluation queue.</summary>
[Collection(FlowsStorageCollection.Name)]
public sealed class EtfFlowsIngestionTests(FlowsStorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string CsvV1 = """
        date,IBIT,FBTC,MSBT,GBTC,Total
        2026-04-06,400.1,50.0,,21.3,471.4
        2026-04-07,-100.0,-40.0,,-19.1,-159.1
        2026-04-08,40.4,-79.1,30.6,-85.8,-93.9
        2026-04-09,269.3,53.3,14.9,20.6,358.1
        2026-04-10,137.6,78.0,,24.8,240.4
        """;

    private static EtfFlowFetch Csv(string text, string name) => EtfFlowFile.Parse(text.Replace("\r", "", StringComparison.Ordinal), EtfFlowFileFormat.Csv, "file:" + name);

    private static async Task<List<EvaluationRequest>> DrainAsync(ServiceProvider sp)
    {
        var queue = await sp.GetRequiredService<EvaluationQueue>().ClientAsync(Ct);
        var messages = await queue.ReceiveMessagesAsync(32, cancellationToken: Ct);
        return messages.Value.Select(m => EvaluationRequest.Parse(m.Body.ToString())).ToList();
    }

    [Fact]
    public async Task Second_import_changes_nothing_and_evaluation_is_enqueued_only_on_change()
    {
        using var sp = FlowsServices.Build(storage.ConnectionString, null, FlowsServices.At(2026, 3, 30, 12));
        var service = sp.GetRequiredService<EtfFlowsIngestionService>();

        var march = CsvV1.Replace("2026-04-10", "2026-03-20", StringComparison.Ordinal).Replace("2026-04-0", "2026-03-1", StringComparison.Ordinal);
        var first = await service.ImportAsync(Csv(march, "v1.csv"), null, null, Ct);
        Assert.Equal((RunOutcome.Succeeded, 5, 0, 0, true), (first.Run.Outcome, first.Run.Inserted, first.Run.Updated, first.Run.Unchanged, first.Run.EvaluationEnqueued));
        var second = await service.ImportAsync(Csv(march, "v1.csv"), null, null, Ct);
        Assert.Equal((RunOutcome.Succeeded, 0, 0, 5, false), (second.Run.Outcome, second.Run.Inserted, second.Run.Updated, second.Run.Unchanged, second.Run.EvaluationEnqueued));

        var request = Assert.Single(await DrainAsync(sp));
        Assert.Equal(("etf-flows", new DateOnly(2026, 3, 16)), (request.Reason, request.ChangedFrom));

        var stored = await sp.GetRequiredService<EtfSessionStore>().GetRangeAsync(new DateOnly(2026, 3, 16), new DateOnly(2026, 3, 20), Ct);
        Assert.Equal(5, stored.Count);
        Assert.All(stored, s => Assert.Equal(0, s.Revision));
        Assert.Null(stored[0].Funds["MSBT"]); // "not reported" survives the round trip as null, not 0
        Assert.Equal(-93.9m, stored[2].TotalUsdM);
        Assert.Equal("file:v1.csv", stored[4].Source);
        Assert.Equal(SessionStatus.Final, stored[4].Status); // 30 Mar: the cut-off passed
    }

    [Fact]
    public async Task Revised_value_updates_the_session_bumps_its_revision_and_logs_the_change()
    {
        var time = FlowsServices.At(2026, 4, 10, 22); // Friday evening: MSBT has not reported yet
        using var sp = FlowsServices.Build(storage.ConnectionString, null, time);
        var service = sp.GetRequiredService<EtfFlowsIngestionService>();
        var store = sp.GetRequiredService<EtfSessionStore>();
        var v1 = CsvV1;
        var friday = new DateOnly(2026, 4, 10);

        var first = await service.ImportAsync(Csv(v1, "v1.csv"), null, null, Ct);
        Assert.Equal(5, first.Run.Inserted);
        var before = (await store.GetAsync(friday, Ct))!.Value.Session;
        Assert.Equal((SessionStatus.Provisional, 240.4m, 0), (before.Status, before.TotalUsdM, before.Revision));

        time.Advance(TimeSpan.FromHours(3)); // MSBT reports 16.3: the total becomes 256.7
        var v2 = v1.Replace("2026-04-10,137.6,78.0,,24.8,240.4", "2026-04-10,137.6,78.0,16.3,24.8,256.7", StringComparison.Ordinal);
        var second = await service.ImportAsync(Csv(v2, "v2.csv"), null, null, Ct);
        Assert.Equal((0, 1, 4), (second.Run.Inserted, second.Run.Updated, second.Run.Unchanged));
        Assert.Equal(friday, second.ChangedFrom);

        var after = (await store.GetAsync(friday, Ct))!.Value.Session;
        Assert.Equal((SessionStatus.Final, 256.7m, 16.3m, 1, "file:v2.csv"), (after.Status, after.TotalUsdM, after.Funds["MSBT"]!.Value, after.Revision, after.Source));
        Assert.Equal(before.FirstSeenUtc, after.FirstSeenUtc);
        Assert.Equal(time.GetUtcNow(), after.LastChangedUtc);

        var revisions = await store.GetRevisionsAsync(friday, Ct);
        Assert.Collection(
            revisions,
            r => Assert.Equal(("MSBT", (decimal?)null, (decimal?)16.3m, "file:v2.csv", "file:v1.csv", 1), (r.Field, r.OldUsdM, r.NewUsdM, r.Source, r.PreviousSource, r.Revision)),
            r => Assert.Equal(("Total", (decimal?)240.4m, (decimal?)256.7m, time.GetUtcNow()), (r.Field, r.OldUsdM, r.NewUsdM, r.ChangedUtc)));

        var requests = await DrainAsync(sp);
        Assert.Equal([new DateOnly(2026, 4, 6), friday], requests.Select(r => r.ChangedFrom!.Value));

        var third = await service.ImportAsync(Csv(v2, "v2.csv"), null, null, Ct);
        Assert.Equal((0, 0, 5, false), (third.Run.Inserted, third.Run.Updated, third.Run.Unchanged, third.Run.EvaluationEnqueued));
        Assert.Equal(2, (await store.GetRevisionsAsync(friday, Ct)).Count);
    }

    [Fact]
    public async Task Scheduled_runs_store_sessions_never_the_pending_row_then_finalise_then_stop_fetching()
    {
        var page = FlowsServices.Fixture("farside_quirks.html");
        await using var server = await LoopbackServer.StartAsync((c, _) => LoopbackServer.Html(c, page));
        var time = FlowsServices.At(2026, 2, 18, 13); // 08:00 New York, Wed 18 Feb 2026
        using var sp = FlowsServices.Build(storage.ConnectionString, server.BaseUrl, time);
        var job = sp.GetRequiredService<EtfFlowsIngestionJob>();
        var store = sp.GetRequiredService<EtfSessionStore>();

        var run = Assert.Single(await job.RunAsync(Ct));
        Assert.Equal((RunOutcome.Succeeded, "farside", 6, 6, true), (run.Outcome, run.Source, run.Fetched, run.Inserted, run.EvaluationEnqueued));
        var stored = await store.GetRangeAsync(new DateOnly(2026, 2, 1), new DateOnly(2026, 2, 28), Ct);
        Assert.DoesNotContain(stored, s => s.Date == new DateOnly(2026, 2, 18)); // the green pending row: not 0, not stored
        Assert.DoesNotContain(stored, s => s.Date == new DateOnly(2026, 2, 16)); // Presidents' Day row
        Assert.Equal(SessionStatus.Provisional, stored.Single(s => s.Date == new DateOnly(2026, 2, 17)).Status);

        var again = Assert.Single(await job.RunAsync(Ct)); // 17 Feb still provisional: asked again, nothing changed
        Assert.Equal((0, 0, false, 2), (again.Inserted, again.Updated, again.EvaluationEnqueued, server.Requests));

        time.SetUtcNow(new DateTimeOffset(2026, 2, 18, 14, 35, 0, TimeSpan.Zero)); // past the cut-off
        var finalised = Assert.Single(await job.RunAsync(Ct));
        Assert.Equal((1, true), (finalised.Updated, finalised.EvaluationEnqueued));
        var feb17 = (await store.GetAsync(new DateOnly(2026, 2, 17), Ct))!.Value.Session;
        Assert.Equal((SessionStatus.Final, 0), (feb17.Status, feb17.Revision));
        Assert.Null(feb17.Funds["ARKB"]);

        var upToDate = Assert.Single(await job.RunAsync(Ct));
        Assert.Equal((RunOutcome.Succeeded, "none", 3), (upToDate.Outcome, upToDate.Source, server.Requests)); // nothing missing: no fetch
        Assert.Equal([new DateOnly(2026, 2, 9), new DateOnly(2026, 2, 17)], (await DrainAsync(sp)).Select(r => r.ChangedFrom!.Value));
    }

    public static TheoryData<int, string, RunOutcome, string> BadPages => new()
    {
        { 403, "<html>denied</html>", RunOutcome.SourceBlocked, "HTTP 403" },
        { 200, FlowsServices.Fixture("farside_challenge.html"), RunOutcome.SourceBlocked, "challenge" },
        { 200, FlowsServices.Fixture("farside_unrecognised.html"), RunOutcome.ParseFailed, "fund tickers" },
    };

    [Theory]
    [MemberData(nameof(BadPages))]
    public async Task Blocked_or_malformed_page_writes_nothing_and_the_run_is_recorded_failed(int status, string body, RunOutcome outcome, string reason)
    {
        await using var server = await LoopbackServer.StartAsync((c, _) => LoopbackServer.Html(c, body, status));
        var time = FlowsServices.At(2023, 6, 14, 22); // no other test writes 2023
        using var sp = FlowsServices.Build(storage.ConnectionString, server.BaseUrl, time);

        var run = Assert.Single(await sp.GetRequiredService<EtfFlowsIngestionJob>().RunAsync(Ct));
        Assert.Equal(outcome, run.Outcome);
        Assert.Contains(reason, run.Error, StringComparison.Ordinal);
        Assert.Contains("sosovalue: Skipped: no API key", run.Error, StringComparison.Ordinal);
        Assert.Equal((0, 0, false), (run.Inserted, run.Updated, run.EvaluationEnqueued));

        Assert.Empty(await sp.GetRequiredService<EtfSessionStore>().GetRangeAsync(new DateOnly(2023, 1, 1), new DateOnly(2023, 12, 31), Ct));
        var latest = (await sp.GetRequiredService<IngestionRunLog>().LatestAsync(Ct)).Single(r => r.Dataset == "etf-flows");
        Assert.Equal((outcome, run.Error), (latest.Outcome, latest.Error));
        Assert.Empty(await DrainAsync(sp));
    }

    [Fact]
    public async Task Farside_blocked_fails_over_to_SoSoValue_totals()
    {
        const string answer = """{"code":0,"msg":null,"data":{"list":[{"date":"2025-09-10","totalNetInflow":757100000.0},{"date":"2025-09-09","totalNetInflow":-23456789.0}]}}""";
        await using var server = await LoopbackServer.StartAsync((c, _) =>
        {
            if (c.Request.Path.StartsWithSegments("/openapi", StringComparison.Ordinal))
            {
                c.Response.ContentType = "application/json";
                return c.Response.WriteAsync(answer);
            }

            return LoopbackServer.Html(c, "<html>denied</html>", 403);
        });
        var time = FlowsServices.At(2025, 9, 10, 23);
        using var sp = FlowsServices.Build(storage.ConnectionString, server.BaseUrl, time, new() { ["Tapewatch:Flows:SoSoValue:ApiKey"] = "k" });
        var result = await sp.GetRequiredService<EtfFlowsIngestionService>().BackfillAsync(new DateOnly(2025, 9, 8), new DateOnly(2025, 9, 10), null, Ct);

        Assert.Equal((RunOutcome.Succeeded, "sosovalue", 2), (result.Run.Outcome, result.Run.Source, result.Run.Inserted));
        Assert.Contains("farside: SourceBlocked", result.Run.Error, StringComparison.Ordinal);
        Assert.Equal([SourceOutcome.SourceBlocked, SourceOutcome.Ok], result.Attempts.Select(a => a.Outcome));
        var sessions = await sp.GetRequiredService<EtfSessionStore>().GetRangeAsync(new DateOnly(2025, 9, 8), new DateOnly(2025, 9, 10), Ct);
        Assert.Equal([(new DateOnly(2025, 9, 9), -23.456789m, SessionStatus.Final), (new DateOnly(2025, 9, 10), 757.1m, SessionStatus.Provisional)], sessions.Select(s => (s.Date, s.TotalUsdM, s.Status)));
        Assert.All(sessions, s => Assert.Equal("sosovalue", s.Source));
    }

    [Fact]
    public async Task Large_import_is_written_in_batches_of_at_most_100_per_partition()
    {
        using var sp = FlowsServices.Build(storage.ConnectionString, null, FlowsServices.At(2023, 1, 10, 12));
        var calendar = Tapewatch.Core.Time.TradingCalendar.Default;
        var lines = calendar.Sessions(new DateOnly(2018, 1, 2), new DateOnly(2019, 12, 31))
            .Select((d, i) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{d:yyyy-MM-dd},{i}.5,-1.0,{i - 0.5m}"));
        var csv = "date,IBIT,GBTC,Total\n" + string.Join('\n', lines);
        var result = await sp.GetRequiredService<EtfFlowsIngestionService>().ImportAsync(Csv(csv, "big.csv"), null, null, Ct);
        Assert.Equal(RunOutcome.Succeeded, result.Run.Outcome);
        Assert.True(result.Run.Inserted > 2 * EtfSessionStore.MaxBatch, $"{result.Run.Inserted} sessions");
        var stored = await sp.GetRequiredService<EtfSessionStore>().GetRangeAsync(new DateOnly(2018, 1, 1), new DateOnly(2019, 12, 31), Ct);
        Assert.Equal(result.Run.Inserted, stored.Count);
    }
}
