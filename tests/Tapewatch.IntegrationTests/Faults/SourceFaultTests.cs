using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tapewatch.Core.Domain;
using Tapewatch.Core.Evaluation;
using Tapewatch.Core.Flows;
using Tapewatch.Core.Ingestion;
using Tapewatch.Core.Storage;
using Tapewatch.Core.Time;
using Tapewatch.IntegrationTests.Derivatives;
using Tapewatch.IntegrationTests.Flows;
using Tapewatch.TestSupport;

namespace Tapewatch.IntegrationTests.Faults;

/// <summary>
/// The ETF flows source misbehaving in every way we know (loopback Kestrel in place of Farside): each fault ends with the
/// right outcome in GET /api/health and nothing wrong stored. One private Azurite for the class; each case runs the
/// scheduled job on its own month, so cases never see each other's sessions.
/// </summary>
public sealed class SourceFaultTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly string[] Funds = ["IBIT", "FBTC", "BITB", "GBTC"];
    private FaultStorage? _storage;

    public async ValueTask InitializeAsync() => _storage = await FaultStorage.StartAsync(azurite, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_storage is not null) await _storage.DisposeAsync();
    }

    /// <summary>A case (odd months of 2027, so the 30-day look-back never reaches the previous case): its own "now" (a Wednesday 15:00 UTC) and the sessions of the 10 days before it, in Farside's markup.</summary>
    private sealed record Case(DateTimeOffset Now, IReadOnlyList<FarsideMarkup.Row> Rows, string Page)
    {
        public static Case For(int month, IReadOnlyList<string>? funds = null)
        {
            var day = new DateOnly(2027, month, 1);
            while (day.DayOfWeek != DayOfWeek.Wednesday) day = day.AddDays(1);
            day = day.AddDays(14);
            var f = funds ?? Funds;
            var rows = TradingCalendar.Default.Sessions(day.AddDays(-10), day.AddDays(-1))
                .Select((d, i) => new FarsideMarkup.Row(d, f.Select((_, j) => (decimal?)((i + 1) * 10.5m - j * 7.2m)).ToList()))
                .ToList();
            var now = new DateTimeOffset(day.ToDateTime(new TimeOnly(15, 0)), TimeSpan.Zero);
            return new Case(now, rows, FarsideMarkup.Page(f, rows));
        }

        public DateOnly From => Rows[0].Date.AddDays(-3);

        public DateOnly To => Rows[^1].Date.AddDays(1);
    }

    private async Task<(EtfFlowsIngestionResult Result, (string Status, string? Outcome, string? Error, string? Source) Health, IReadOnlyList<EtfSession> Stored, int Queued, LoopbackServer Server)> RunAsync(
        Case c, Func<HttpContext, int, Task> handler, Dictionary<string, string?>? extra = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var server = await LoopbackServer.StartAsync(handler);
        var settings = new Dictionary<string, string?> { ["Tapewatch:Flows:Farside:BaseUrl"] = server.BaseUrl.ToString(), [AppSettingNames.EvaluationQueueName] = azurite.UniqueName("faults") };
        foreach (var kv in extra ?? []) settings[kv.Key] = kv.Value;
        await using var sp = FaultServices.Build(_storage!.Process, new FixedNowTimeProvider(c.Now), settings: settings);
        var job = sp.GetRequiredService<EtfFlowsIngestionJob>();
        var result = await sp.GetRequiredService<EtfFlowsIngestionService>().RunScheduledAsync(ct);
        var health = await FaultServices.HealthAsync(sp, EtfFlowsIngestionService.Dataset, ct);
        var stored = await sp.GetRequiredService<EtfSessionStore>().GetRangeAsync(c.From, c.To, ct);
        var queue = await sp.GetRequiredService<EvaluationQueue>().ClientAsync(ct);
        var queued = (await queue.GetPropertiesAsync(ct)).Value.ApproximateMessagesCount;
        Assert.NotNull(job);
        return (result, health, stored, queued, server);
    }

    private static void AssertNothingStored((EtfFlowsIngestionResult Result, (string Status, string? Outcome, string? Error, string? Source) Health, IReadOnlyList<EtfSession> Stored, int Queued, LoopbackServer Server) r)
    {
        Assert.Empty(r.Stored);
        Assert.Equal(0, r.Queued); // no evaluation request, not even the delayed safety one
        Assert.Equal("degraded", r.Health.Status);
    }

    [Fact]
    public async Task Persistent_500s_are_retried_then_Failed_and_nothing_is_stored()
    {
        var c = Case.For(1);
        var r = await RunAsync(c, (ctx, _) => LoopbackServer.Html(ctx, "<html>Internal Server Error</html>", 500));
        await using var _ = r.Server;
        Assert.Equal((RunOutcome.Failed, "Failed"), (r.Result.Run.Outcome, r.Health.Outcome));
        Assert.Contains("HTTP 500", r.Health.Error, StringComparison.Ordinal);
        Assert.Equal(4, r.Server.Requests); // 1 + MaxRetries
        AssertNothingStored(r);
    }

    [Fact]
    public async Task A_429_with_Retry_After_is_waited_out_then_the_sessions_are_stored()
    {
        var c = Case.For(3);
        var r = await RunAsync(c, (ctx, n) =>
        {
            if (n > 1) return LoopbackServer.Html(ctx, c.Page);
            ctx.Response.Headers.RetryAfter = "1";
            return LoopbackServer.Html(ctx, "Too Many Requests", 429);
        });
        await using var _ = r.Server;

        // Measured between the two requests at the server: a stopwatch around the whole run would also count the set-up and
        // pass even if the retry came after the 10 ms base delay.
        var wait = r.Server.Between(1, 2);
        Assert.True(wait >= TimeSpan.FromSeconds(0.9), $"Retry-After: 1 was not honoured (the retry came after {wait.TotalMilliseconds:0} ms)");
        Assert.Equal((RunOutcome.Succeeded, "Succeeded", "ok", 2), (r.Result.Run.Outcome, r.Health.Outcome, r.Health.Status, r.Server.Requests));
        AssertStored(c, r.Stored, Funds);
        Assert.Equal(1, r.Queued);
    }

    [Fact]
    public async Task A_source_that_never_answers_times_out_Failed_and_nothing_is_stored()
    {
        var c = Case.For(5);
        var r = await RunAsync(
            c,
            async (ctx, _) => await Task.Delay(TimeSpan.FromSeconds(10), ctx.RequestAborted),
            new() { ["Tapewatch:Flows:Http:AttemptTimeout"] = "00:00:00.300", ["Tapewatch:Flows:Http:MaxRetries"] = "1" });
        await using var _ = r.Server;
        Assert.Equal((RunOutcome.Failed, "Failed"), (r.Result.Run.Outcome, r.Health.Outcome));
        Assert.Contains("timed out", r.Health.Error, StringComparison.Ordinal);
        Assert.Equal(2, r.Server.Requests);
        AssertNothingStored(r);
    }

    [Fact]
    public async Task A_Cloudflare_challenge_with_status_200_is_SourceBlocked_not_retried_and_nothing_is_stored()
    {
        var c = Case.For(7);
        var challenge = FlowsServices.Fixture("farside_challenge.html");
        var r = await RunAsync(c, (ctx, _) => LoopbackServer.Html(ctx, challenge));
        await using var _ = r.Server;
        Assert.Equal((RunOutcome.SourceBlocked, "SourceBlocked", 1), (r.Result.Run.Outcome, r.Health.Outcome, r.Server.Requests));
        Assert.Contains("challenge", r.Health.Error, StringComparison.OrdinalIgnoreCase);
        AssertNothingStored(r);
    }

    [Fact]
    public async Task A_page_truncated_in_the_middle_of_a_number_is_ParseFailed_and_nothing_is_stored()
    {
        var c = Case.For(9);
        // Cut inside the last dated row's Total ("… 3<" of e.g. "315.0"): HTML parsers still build a table from it.
        var lastTotal = FarsideMarkup.Text(c.Rows[^1].Funds.Sum(v => v ?? 0));
        var cut = c.Page.LastIndexOf(lastTotal, c.Page.IndexOf("Total</span></td>", StringComparison.Ordinal), StringComparison.Ordinal) + 2;
        var truncated = c.Page[..cut];
        var r = await RunAsync(c, (ctx, _) => LoopbackServer.Html(ctx, truncated));
        await using var _ = r.Server;
        Assert.Equal((RunOutcome.ParseFailed, "ParseFailed"), (r.Result.Run.Outcome, r.Health.Outcome));
        Assert.Contains("truncated", r.Health.Error, StringComparison.Ordinal);
        AssertNothingStored(r);
    }

    [Fact]
    public async Task A_table_with_a_new_unknown_fund_column_is_read_header_first_and_stored_with_the_new_fund()
    {
        string[] withNew = ["IBIT", "NEWX", "FBTC", "BITB", "GBTC"];
        var c = Case.For(11, withNew);
        var r = await RunAsync(c, (ctx, _) => LoopbackServer.Html(ctx, c.Page));
        await using var _ = r.Server;
        Assert.Equal((RunOutcome.Succeeded, "Succeeded", "ok"), (r.Result.Run.Outcome, r.Health.Outcome, r.Health.Status));
        AssertStored(c, r.Stored, withNew);
    }

    private static void AssertStored(Case c, IReadOnlyList<EtfSession> stored, IReadOnlyList<string> funds)
    {
        Assert.Equal(c.Rows.Select(x => x.Date), stored.Select(s => s.Date));
        foreach (var (row, session) in c.Rows.Zip(stored))
        {
            Assert.Equal(funds, session.Funds.Keys);
            Assert.Equal(row.Funds, funds.Select(f => session.Funds[f]));
            Assert.Equal(row.Funds.Sum(v => v ?? 0), session.TotalUsdM);
            Assert.Equal(SessionStatus.Final, session.Status);
        }
    }
}
