using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Infrastructure.Hosting;
using Tapewatch.Core.Time;
using Tapewatch.IntegrationTests.Faults;
using Tapewatch.IntegrationTests.Flows;
using Tapewatch.Local.Hosting;
using Tapewatch.TestSupport;
using Tapewatch.Infrastructure.Ingestion;

namespace Tapewatch.IntegrationTests.Cost;

/// <summary>
/// One full UTC day of the default schedules (Tue 13 Jan 2026), every job run at its NCRONTAB occurrence against Azurite with
/// the sources on loopback (Farside's page grows as sessions close; the venues' recorded answers are moved to the run's
/// time), each evaluation request then handled as the queue trigger would. A counting pipeline policy sees every storage
/// transaction. Prints the counts (and writes TestResults/cost-day.txt), then the month (TestResults/cost-month.md, docs/cost.md).
/// </summary>
public sealed partial class DailyCostTests(AzuriteFixture azurite)
{
    private static readonly DateOnly Day = new(2026, 1, 13);
    private const string CoinSharesFeed = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
        <channel><title>CoinShares Research Blog</title><link>https://researchblog.coinshares.com</link><description>Research</description>
        <item><title>Digital Asset Fund Flows Weekly Report</title><link>https://researchblog.coinshares.com/fund-flows-12-january-2026/</link>
        <pubDate>Mon, 12 Jan 2026 09:45:00 +0000</pubDate>
        <content:encoded><![CDATA[<p>Digital asset investment products saw inflows totalling US$1.2bn last week.</p>]]></content:encoded></item>
        </channel></rss>
        """;

    private static readonly DateTimeOffset FixturesRecordedAt = new(2026, 1, 13, 21, 31, 0, TimeSpan.Zero);
    private static readonly string[] Funds = ["IBIT", "FBTC", "GBTC"];

    /// <summary>The datasets whose last run the day must have recorded (every job ran, every venue was read).</summary>
    private static readonly string[] ExpectedDatasets =
    [
        "btc-close", "cftc-cot", "derivatives", "derivatives-binance", "derivatives-bybit", "derivatives-deribit", "derivatives-kraken", "derivatives-okx",
        "etf-flows", "weekly-flows",
    ];

    [Fact]
    public async Task One_day_of_default_schedules_counts_storage_transactions_and_executions()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var storage = await FaultStorage.StartAsync(azurite, ct);
        var clock = new SettableTimeProvider(new DateTimeOffset(Day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        var calendar = TradingCalendar.Default;

        // Farside: every session from 1 Dec up to the latest closed one; the newest has a late fund ("-") until 12:00 UTC the next day.
        await using var farside = await LoopbackServer.StartAsync((c, _) =>
        {
            var now = clock.GetUtcNow();
            var last = calendar.LatestClosedSession(now);
            var rows = calendar.Sessions(new DateOnly(2025, 12, 1), last).Select((d, i) =>
            {
                var late = d == last && now < new DateTimeOffset(d.AddDays(1).ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);
                return new FarsideMarkup.Row(d, [100m + i, -30m - i / 10m, late ? null : 5m]);
            });
            return LoopbackServer.Html(c, FarsideMarkup.Page(Funds, rows.ToList()));
        });
        var fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Derivatives");
        var unrecorded = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var venues = await LoopbackServer.StartAsync((c, _) => ServeVenueAsync(c, fixtures, clock.GetUtcNow() - FixturesRecordedAt, unrecorded));

        // The CoinShares feed: Monday's report (week to Fri 9 Jan 2026) is out, so Tuesday's runs find the week stored.
        await using var feed = await LoopbackServer.StartAsync((c, _) =>
        {
            c.Response.ContentType = "application/rss+xml; charset=utf-8";
            return c.Response.WriteAsync(CoinSharesFeed);
        });

        var counter = new StorageRequestCounter(storage.Process.TablePort, storage.Process.QueuePort);
        var settings = new Dictionary<string, string?>
        {
            ["Tapewatch:Flows:Farside:BaseUrl"] = farside.BaseUrl.ToString(),
            ["Tapewatch:Flows:Sources"] = "farside",
            ["Tapewatch:Derivatives:Http:MaxRetries"] = "0",
            ["Tapewatch:Weekly:FeedUrl"] = new Uri(feed.BaseUrl, "feed").ToString(),
        };
        foreach (var (venue, key) in new[] { ("binance", "Binance:UsdMarginedBaseUrl"), ("binance", "Binance:CoinMarginedBaseUrl"), ("okx", "Okx:BaseUrl"), ("bybit", "Bybit:BaseUrl"), ("deribit", "Deribit:BaseUrl"), ("kraken", "Kraken:BaseUrl"), ("cftc", "Cftc:BaseUrl"), ("coinbase", "BtcClose:BaseUrl") })
        {
            settings["Tapewatch:Derivatives:" + key] = new Uri(venues.BaseUrl, venue + "/").ToString();
        }

        await using var sp = FaultServices.Build(storage.Process, clock, counter, settings);

        // Yesterday's state: the previous sessions are stored (as after the days before), so the day's counts are a steady state.
        clock.Now = new DateTimeOffset(Day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddMinutes(-30);
        await sp.GetRequiredService<Tapewatch.Infrastructure.Flows.EtfFlowsIngestionService>().RunScheduledAsync(ct);
        await FaultServices.DrainEvaluationsAsync(sp, ct);

        var occurrences = sp.GetServices<ScheduledJobDefinition>()
            .SelectMany(job => LocalScheduler.Parse(job.DefaultSchedule)
                .GetNextOccurrences(Day.ToDateTime(TimeOnly.MinValue).AddTicks(-1), Day.AddDays(1).ToDateTime(TimeOnly.MinValue).AddTicks(-1))
                .Select(at => (Job: job, At: new DateTimeOffset(at, TimeSpan.Zero))))
            .OrderBy(o => o.At)
            .ToList();
        Assert.NotEmpty(occurrences);

        var rows = new Dictionary<string, Tally>(StringComparer.Ordinal);
        Tally Row(string name) => rows.TryGetValue(name, out var t) ? t : rows[name] = new Tally();
        foreach (var (job, at) in occurrences)
        {
            clock.Now = at;
            counter.Reset();
            var watch = Stopwatch.StartNew();
            await using (var scope = sp.CreateAsyncScope())
            {
                await ((IScheduledJob)scope.ServiceProvider.GetRequiredService(job.JobType)).RunAsync(ct);
            }

            Row(job.Name).Add(counter.Requests, watch.Elapsed);

            counter.Reset();
            watch.Restart();
            var evaluations = await FaultServices.DrainEvaluationsAsync(sp, ct);
            if (evaluations > 0) Row("Evaluator (queue)").Add(counter.Requests, watch.Elapsed, evaluations, excludeDrainPolls: true);
        }

        var latest = await sp.GetRequiredService<Tapewatch.Infrastructure.Ingestion.IngestionRunLog>().LatestAsync(ct);
        var text = Report(rows) + "Last run per dataset: " + string.Join(", ", latest.OrderBy(r => r.Dataset, StringComparer.Ordinal).Select(r => $"{r.Dataset} {r.Outcome}{(r.Error is null ? "" : " (" + r.Error + ")")}")) + "\n";
        TestContext.Current.TestOutputHelper?.WriteLine(text);
        Directory.CreateDirectory(Path.Combine(TestPaths.RepoRoot, "TestResults"));
        await File.WriteAllTextAsync(Path.Combine(TestPaths.RepoRoot, "TestResults", "cost-day.txt"), text, ct);

        // Sanity: every default schedule ran, the day's sessions were ingested and evaluated, and the totals stay small.
        Assert.Equal(24, rows["derivatives-hourly"].Executions);
        Assert.Equal(2, rows["derivatives-close"].Executions);
        Assert.Equal(occurrences.Count(o => o.Job.Name == "EtfFlows"), rows["EtfFlows"].Executions);
        Assert.True(rows["Evaluator (queue)"].Executions >= 1, "no evaluation ran all day");
        Assert.InRange(rows.Values.Sum(r => r.Table + r.Queue), 100, 20_000);
        Assert.Equal(ExpectedDatasets, latest.Select(r => r.Dataset).Order(StringComparer.Ordinal));
        Assert.All(latest.Where(r => r.Dataset != "btc-close"), r => Assert.True(r.Outcome == Tapewatch.Infrastructure.Ingestion.RunOutcome.Succeeded, $"{r.Dataset}: {r.Outcome} {r.Error}"));

        // The recorded candles hold the closes of 12 and 13 Jan only: the other 9 of the 11 sessions the close run looks at are missing.
        var close = Assert.Single(latest, r => r.Dataset == "btc-close");
        Assert.Equal((Tapewatch.Infrastructure.Ingestion.RunOutcome.Partial, "9 of 11 session closes not in the candles"), (close.Outcome, close.Error));

        // Every venue request found its recorded answer (a missing recording would silently turn into a 404 and a Partial run).
        Assert.True(unrecorded.IsEmpty, "no recording for: " + string.Join(", ", unrecorded.Distinct(StringComparer.Ordinal)));

        // The month at list prices, with the default deployment's own charges from its template (DailyCostTests.Month.cs).
        await AssertMonthUnderBudgetAsync(rows, sp.GetServices<ScheduledJobDefinition>().Count(), ct);
    }

    /// <summary>Transactions, executions and time of one kind of function execution over the day.</summary>
    private sealed class Tally
    {
        public int Executions { get; private set; }

        public int Table { get; private set; }

        public int Queue { get; private set; }

        public int Batches { get; private set; }

        public TimeSpan Time { get; private set; }

        /// <summary>Billed GB-s: each execution rounded up to a whole second, on a 2,048 MB instance.</summary>
        public double BilledGbSeconds { get; private set; }

        public void Add(IReadOnlyList<StorageRequest> requests, TimeSpan elapsed, int executions = 1, bool excludeDrainPolls = false)
        {
            // The drain's final empty GET messages stands for the trigger's poll, counted separately as host overhead.
            var counted = excludeDrainPolls ? requests.Where(r => !(r.IsQueue && r.Method == "GET")).Concat(requests.Where(r => r.IsQueue && r.Method == "GET").Take(executions)).ToList() : requests;
            Executions += executions;
            Table += counted.Count(r => r.IsTable);
            Queue += counted.Count(r => r.IsQueue);
            Batches += counted.Count(r => r.IsBatch);
            Time += elapsed;
            BilledGbSeconds += Math.Max(executions, Math.Ceiling(elapsed.TotalSeconds)) * 2.0;
        }
    }

    private static string Report(Dictionary<string, Tally> rows)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"One day of default schedules ({Day:yyyy-MM-dd}, a trading day), measured against Azurite:");
        sb.AppendLine("| function | executions/day | table tx/day | queue tx/day | of which batches | run time/day (local) | billed GB-s/day |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, t) in rows.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {t.Executions} | {t.Table} | {t.Queue} | {t.Batches} | {t.Time.TotalSeconds:0.0} s | {t.BilledGbSeconds:0} |");
        }

        var all = rows.Values;
        sb.AppendLine(CultureInfo.InvariantCulture, $"| **total** | {all.Sum(t => t.Executions)} | {all.Sum(t => t.Table)} | {all.Sum(t => t.Queue)} | {all.Sum(t => t.Batches)} | {all.Sum(t => t.Time.TotalSeconds):0.0} s | {all.Sum(t => t.BilledGbSeconds):0} |");
        return sb.ToString();
    }

    /// <summary>/{venue}/{path}: the recorded answer named like the request, its timestamps moved by <paramref name="shift"/>.</summary>
    private static async Task ServeVenueAsync(HttpContext context, string fixtures, TimeSpan shift, System.Collections.Concurrent.ConcurrentQueue<string> unrecorded)
    {
        var parts = (context.Request.Path.Value ?? "").Trim('/').Split('/', 2);
        var rest = parts.Length > 1 ? parts[1] : "";
        var stem = parts[0] + "_" + (rest.EndsWith(".json", StringComparison.Ordinal) ? rest[..^5] : rest).Replace('/', '_');
        var file = Directory.GetFiles(fixtures, stem + "*.json").Order(StringComparer.Ordinal).FirstOrDefault();
        if (file is null)
        {
            unrecorded.Enqueue(context.Request.Path + context.Request.QueryString);
            context.Response.StatusCode = 404;
            return;
        }

        var body = await File.ReadAllTextAsync(file, context.RequestAborted);

        // Hourly candles stay on the hour (the close of a session is the candle at 16:00 New York): their shift is rounded to whole hours.
        if (parts[0] == "coinbase") shift = TimeSpan.FromHours(Math.Round(shift.TotalHours));
        var ms = (long)shift.TotalMilliseconds;
        body = Micros().Replace(body, m => (long.Parse(m.Value, CultureInfo.InvariantCulture) + (ms * 1000)).ToString(CultureInfo.InvariantCulture));
        body = Millis().Replace(body, m => (long.Parse(m.Value, CultureInfo.InvariantCulture) + ms).ToString(CultureInfo.InvariantCulture));
        body = Seconds().Replace(body, m => (long.Parse(m.Value, CultureInfo.InvariantCulture) + (ms / 1000)).ToString(CultureInfo.InvariantCulture));
        body = Iso().Replace(body, m => DateTimeOffset.Parse(m.Value, CultureInfo.InvariantCulture).Add(shift).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body, context.RequestAborted);
    }

    [GeneratedRegex(@"(?<![\d.])176\d{13}(?![\d.])")]
    private static partial Regex Micros();

    [GeneratedRegex(@"(?<![\d.])176\d{10}(?![\d.])")]
    private static partial Regex Millis();

    [GeneratedRegex(@"(?<![\d.])176\d{7}(?![\d.])")]
    private static partial Regex Seconds();

    [GeneratedRegex(@"20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")]
    private static partial Regex Iso();

    /// <summary>A clock the test moves (real timers, so the HTTP pipelines' timeouts still work).</summary>
    private sealed class SettableTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
