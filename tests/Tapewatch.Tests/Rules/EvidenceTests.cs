using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Tapewatch.Core.Domain;
using Tapewatch.Core.Evidence;
using Tapewatch.Core.Rules;
using Tapewatch.Core.Time;
using Tapewatch.Infrastructure.Evidence;
using Tapewatch.Local.Commands;
using Tapewatch.TestSupport;

namespace Tapewatch.Tests.Rules;

/// <summary>Forward returns against the baseline, funding on history, the bundled series (issue #16).</summary>
public sealed class EvidenceTests
{
    private static readonly DateOnly[] Sessions = [.. Enumerable.Range(0, 8).Select(i => new DateOnly(2025, 3, 3).AddDays(i))];

    /// <summary>Closes 100, 110, 99, 120, 90, 100, 100, 105 on eight consecutive dates.</summary>
    private static readonly Dictionary<DateOnly, decimal> Closes = new[] { 100m, 110m, 99m, 120m, 90m, 100m, 100m, 105m }
        .Select((c, i) => (Sessions[i], c)).ToDictionary(x => x.Item1, x => x.c);

    [Fact]
    public void A_forward_return_is_the_close_h_sessions_later_over_the_start_close()
    {
        Assert.Equal(10m, ForwardReturns.Of(Sessions, 0, 1, Closes));   // 110 / 100
        Assert.Equal(-10m, ForwardReturns.Of(Sessions, 1, 1, Closes));  // 99 / 110
        Assert.Equal(-10m, ForwardReturns.Of(Sessions, 0, 4, Closes));  // 90 / 100
        Assert.Equal(5m, ForwardReturns.Of(Sessions, 6, 1, Closes));    // 105 / 100
        Assert.Null(ForwardReturns.Of(Sessions, 7, 1, Closes));         // no later session
        Assert.Null(ForwardReturns.Of(Sessions, 3, 5, Closes));         // past the end
        var gap = new Dictionary<DateOnly, decimal>(Closes);
        gap.Remove(Sessions[2]);
        Assert.Null(ForwardReturns.Of(Sessions, 1, 1, gap));            // no close at the end of the horizon
        Assert.Null(ForwardReturns.Of(Sessions, 2, 1, gap));            // no close at the start
    }

    [Fact]
    public void Mean_median_and_hit_rate_by_hand()
    {
        // Starts 0, 2 and 4 at one session: +10, +21.2121..., +11.1111...; the baseline: every start 0..6.
        var episodes = new[] { 0, 2, 4 }.Select(i => ForwardReturns.Of(Sessions, i, 1, Closes)!.Value).ToList();
        var baseline = Enumerable.Range(0, 7).Select(i => ForwardReturns.Of(Sessions, i, 1, Closes)!.Value).ToList();
        var up = ForwardReturns.Describe(1, +1, episodes, baseline);
        Assert.Equal(3, up.Episodes);
        Assert.Equal(14.11m, up.MeanPct);    // (10 + 21.2121 + 11.1111) / 3 = 14.1077
        Assert.Equal(11.11m, up.MedianPct);
        Assert.Equal(100m, up.HitRatePct);
        Assert.Equal(7, up.BaselineSessions);
        // Baseline: +10, -10, +21.21, -25, +11.11, 0, +5 → mean 1.76, median 5, up 4 of 7 (0 is not a hit).
        Assert.Equal(1.76m, up.BaselineMeanPct);
        Assert.Equal(5m, up.BaselineMedianPct);
        Assert.Equal(57.1m, up.BaselineHitRatePct);
        Assert.True(up.MeanLow90Pct <= up.MeanPct && up.MeanPct <= up.MeanHigh90Pct);

        var down = ForwardReturns.Describe(1, -1, episodes, baseline);
        Assert.Equal(0m, down.HitRatePct);
        Assert.Equal(28.6m, down.BaselineHitRatePct); // -10 and -25
        Assert.True(down.PermutationP > up.PermutationP, "rising starts are evidence for up, not for down");
    }

    [Fact]
    public void Bootstrap_and_permutation_are_reproducible()
    {
        var random = new Random(5);
        var baseline = Enumerable.Range(0, 300).Select(_ => (decimal)(random.NextDouble() * 10 - 5)).ToList();
        var episodes = baseline.Where(v => v > 2).Take(12).ToList();
        var first = ForwardReturns.Describe(10, 1, episodes, baseline);
        Assert.Equal(first, ForwardReturns.Describe(10, 1, episodes, baseline));
        Assert.True(first.PermutationP < 0.01m, $"12 starts all above +2 % among uniform −5..5 %: p = {first.PermutationP}");
        Assert.True(first.MeanLow90Pct > 2m);
    }

    [Fact]
    public void No_look_ahead_the_forward_return_of_a_start_ignores_closes_before_it_and_after_its_horizon()
    {
        var changed = new Dictionary<DateOnly, decimal>(Closes) { [Sessions[0]] = 1m, [Sessions[1]] = 1_000m, [Sessions[6]] = 7m, [Sessions[7]] = 1m };
        for (var h = 1; h <= 3; h++)
        {
            Assert.Equal(ForwardReturns.Of(Sessions, 2, h, Closes), ForwardReturns.Of(Sessions, 2, h, changed));
        }
    }

    [Fact]
    public void Funding_on_a_session_is_the_mean_of_the_prints_of_the_24_hours_up_to_its_close_annualised()
    {
        var session = new DateOnly(2025, 3, 4); // a Tuesday; 16:00 New York = 21:00 UTC
        var close = NewYorkTime.CloseUtc(session);
        var prints = new List<FundingPrint>
        {
            new(close.AddHours(-29), 0.01m),        // more than 24 h before: out
            new(close.AddHours(-21), 0.0001m),
            new(close.AddHours(-13), 0.0002m),
            new(close.AddHours(-5), 0.0003m),
            new(close.AddHours(3), 0.04m),          // after the close: not known yet
        };
        var history = new BtcHistory { Closes = new Dictionary<DateOnly, decimal> { [session] = 80_000m }, ClosesSource = "t", Funding = prints, FundingSource = "t" };
        var reading = Assert.Single(HistoricalReadings.For([session], history));
        Assert.Equal(21.9m, reading.FundingAnnualizedPct); // 0.0002 × 3 × 365 × 100
        Assert.Equal(80_000m, reading.BtcCloseUsd);
        Assert.Null(reading.Basis3mAnnualizedPct);
        Assert.Equal(close, reading.AsOfUtc);

        var later = history with { Funding = [.. prints, new(close.AddHours(1), -0.04m)] };
        var again = Assert.Single(HistoricalReadings.For([session], later));
        Assert.Equal((reading.FundingAnnualizedPct, reading.BtcCloseUsd, reading.AsOfUtc), (again.FundingAnnualizedPct, again.BtcCloseUsd, again.AsOfUtc));
    }

    [Fact]
    public void The_bundled_history_covers_its_documented_dates()
    {
        var history = BundledHistory.Load();
        Assert.Equal(new DateOnly(2019, 3, 8), history.ClosesCoverage!.From);
        Assert.Equal(new DateOnly(2026, 4, 5), history.ClosesCoverage.To);
        Assert.Equal(2586, history.Closes.Count);
        Assert.Equal(new DateOnly(2019, 9, 10), history.FundingCoverage!.From);
        Assert.Equal(new DateOnly(2026, 4, 22), history.FundingCoverage.To);
        Assert.Equal(7258, history.Funding.Count);
        Assert.Equal(3864.89m, history.Closes[new DateOnly(2019, 3, 8)]);
    }

    [Theory]
    [InlineData("time_utc,rate\n2025-01-01T00:00Z,0.0001\n2025-01-01T08:00Z,abc\n", "line 3")]
    [InlineData("time_utc,rate\n2025-01-01T00:00Z,1.5\n", "line 2")] // a percent, not a fraction
    [InlineData("date,close\n", "header")]
    [InlineData("time_utc,rate\nnot-a-time,0.0001\n", "line 2")]
    public void A_bad_funding_file_is_refused_with_its_line(string text, string expected)
    {
        var (funding, problem) = BtcHistoryCsv.ParseFunding(new StringReader(text));
        Assert.Null(funding);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backtest_json_on_the_real_flows_has_baselines_hit_rates_and_funding_confirmations_from_the_bundled_history()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var flows = new FileInfo(TestPaths.DataFile("farside", "farside_btc_etf_flows__daily.csv"));
        var code = await BacktestCommand.RunAsync(flows, null, null, null, true, new ConfigurationBuilder().Build(), output, error, CancellationToken.None);
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output.ToString());
        var root = doc.RootElement;
        foreach (var row in root.GetProperty("summary").EnumerateArray())
        {
            foreach (var name in new[] { "averageForwardReturnsPct", "baselineForwardReturnsPct", "hitRatePct" })
            {
                var byHorizon = row.GetProperty(name);
                Assert.Equal(["5", "10", "20"], byHorizon.EnumerateObject().Select(p => p.Name));
                Assert.All(byHorizon.EnumerateObject(), p => Assert.Equal(JsonValueKind.Number, p.Value.ValueKind));
            }
        }

        var rebuild = root.GetProperty("summary").EnumerateArray().Single(r => r.GetProperty("scenario").GetString() == "Rebuild");
        Assert.Equal(23, rebuild.GetProperty("episodes").GetInt32());
        // Funding is known on history: some Rebuild episodes had it subdued; basis has no history and says so.
        var funding = rebuild.GetProperty("confirmationsMet").GetProperty("rebuild.confirm.funding").GetInt32();
        Assert.InRange(funding, 1, 23);
        Assert.Contains("rebuild.confirm.basis", rebuild.GetProperty("confirmationsWithoutHistory").EnumerateArray().Select(e => e.GetString()));
        Assert.DoesNotContain("rebuild.confirm.funding", rebuild.GetProperty("confirmationsWithoutHistory").EnumerateArray().Select(e => e.GetString()));

        // The baseline is the same period for every scenario; 10-session Rebuild mean above it, Caution below it.
        var baselines = root.GetProperty("summary").EnumerateArray().Select(r => r.GetProperty("baselineForwardReturnsPct").GetProperty("10").GetDecimal()).Distinct().ToList();
        Assert.Single(baselines);
        Assert.True(rebuild.GetProperty("averageForwardReturnsPct").GetProperty("10").GetDecimal() > baselines[0]);
        var caution = root.GetProperty("summary").EnumerateArray().Single(r => r.GetProperty("scenario").GetString() == "Caution");
        Assert.True(caution.GetProperty("averageForwardReturnsPct").GetProperty("10").GetDecimal() < baselines[0]);

        var series = root.GetProperty("series").EnumerateArray().Select(s => s.GetProperty("source").GetString()!).ToList();
        Assert.Contains(series, s => s.StartsWith("closes: bundled", StringComparison.Ordinal));
        Assert.Contains(series, s => s.StartsWith("funding: bundled", StringComparison.Ordinal));
        Assert.Equal(3, root.GetProperty("evidence").GetArrayLength());
    }

    [Fact]
    public void Every_summary_figure_is_the_evidence_figure_of_its_horizon()
    {
        var calendar = new TradingCalendar(new CalendarOptions());
        var dates = calendar.Sessions(new DateOnly(2025, 1, 2), new DateOnly(2025, 6, 30)).ToList();
        var random = new Random(11);
        var sessions = dates.Select(d => new EtfSession { Date = d, Funds = new Dictionary<string, decimal?>(), TotalUsdM = random.Next(-400, 600), Status = SessionStatus.Final, Source = "t" }).ToList();
        var closes = dates.Select((d, i) => (d, 100m + i + random.Next(0, 5))).ToDictionary(x => x.d, x => x.Item2);
        var engine = new RegimeEngine(new RulesOptions(), calendar);
        var result = Backtest.Run(engine, new RuleInputs(sessions), closes: closes);
        Assert.NotEmpty(result.Episodes);
        foreach (var row in result.Summary)
        {
            var evidence = result.Evidence!.Single(e => e.Scenario == row.Scenario);
            foreach (var h in evidence.Horizons)
            {
                var key = Backtest.HorizonKey(h.Horizon);
                Assert.Equal(h.MeanPct, row.AverageForwardReturnsPct![key]);
                Assert.Equal(h.BaselineMeanPct, row.BaselineForwardReturnsPct![key]);
                Assert.Equal(h.HitRatePct, row.HitRatePct![key]);
                var starts = result.Episodes.Where(e => e.Scenario == row.Scenario).Select(e => e.ForwardReturnsPct![key]).OfType<decimal>().ToList();
                Assert.Equal(starts.Count, h.Episodes);
            }
        }
    }

    [Theory]
    [InlineData("Rebuild.MinDailyFlowUsdM=150..300:50", "Rebuild.MinDailyFlowUsdM", "150,200,250,300")]
    [InlineData("rebuild.streaksessions=1..3:1", "Rebuild.StreakSessions", "1,2,3")]
    [InlineData("Freshness.FlowsMaxAgeSessions=1..2:1", null, null)]
    public void A_sweep_names_a_numeric_rule_setting_and_its_values(string text, string? setting, string? values)
    {
        var (spec, problem) = SweepSpec.Parse(text);
        if (setting is null)
        {
            Assert.Null(spec);
            Assert.NotNull(problem);
            return;
        }

        Assert.Null(problem);
        Assert.Equal(setting, spec!.Setting);
        Assert.Equal(values, string.Join(",", spec.Values.Select(SweepSpec.Format)));
        Assert.Equal($"Tapewatch:Rules:{setting.Replace('.', ':')}", spec.ConfigurationKey);
    }

    [Theory]
    [InlineData("Rebuild.MinDailyFlowUsdM", "Section.Key=FROM..TO:STEP")]
    [InlineData("Rebuild.MinDailyFlowUsdM=300..150:50", "FROM ≤ TO")]
    [InlineData("Rebuild.MinDailyFlowUsdM=150..300:0", "positive STEP")]
    [InlineData("Rebuild.MinDailyFlowUsdM=0..1000:1", "at most 50 values")]
    [InlineData("Rebuild.StreakSessions=1..3:0.5", "whole numbers")]
    [InlineData("Nope.MinDailyFlowUsdM=1..2:1", "no rule section 'Nope'")]
    [InlineData("Rebuild.Nope=1..2:1", "no numeric setting 'Nope' in Rebuild")]
    [InlineData("Rebuild.MinDailyFlowUsdM=a..b:c", "Section.Key=FROM..TO:STEP")]
    public void A_bad_sweep_is_refused_with_what_to_write(string text, string expected)
    {
        var (spec, problem) = SweepSpec.Parse(text);
        Assert.Null(spec);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sweep_replays_each_value_in_and_out_of_sample_and_reports_a_refused_value()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var flows = new FileInfo(TestPaths.DataFile("farside", "farside_btc_etf_flows__daily.csv"));
        var code = await BacktestCommand.RunAsync(
            new BacktestArguments(flows, null, null, null, null, Json: true) { Sweep = "Rebuild.StreakSessions=0..3:1", Split = "2025-07-01" },
            new ConfigurationBuilder().Build(), output, error, CancellationToken.None);
        Assert.True(code == 0, error.ToString());
        using var doc = JsonDocument.Parse(output.ToString());
        var sweep = doc.RootElement.GetProperty("sweep");
        Assert.Equal("Rebuild.StreakSessions", sweep.GetProperty("setting").GetString());
        Assert.Equal("2025-07-01", sweep.GetProperty("split").GetString());
        var rows = sweep.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(4, rows.Count);
        Assert.Contains("StreakSessions", rows[0].GetProperty("error").GetString(), StringComparison.Ordinal); // 0 is below the options' range
        var episodes = new List<int>();
        foreach (var row in rows.Skip(1))
        {
            var inSample = Assert.Single(row.GetProperty("inSample").EnumerateArray());
            var outOfSample = Assert.Single(row.GetProperty("outOfSample").EnumerateArray());
            Assert.Equal("Rebuild", inSample.GetProperty("scenario").GetString());
            var total = inSample.GetProperty("horizons")[0].GetProperty("episodes").GetInt32() + outOfSample.GetProperty("horizons")[0].GetProperty("episodes").GetInt32();
            episodes.Add(total);
        }

        // Longer streaks, fewer episodes; 3 sessions (the default) gives the 23 of the plain backtest (22 with a 5-session close).
        Assert.True(episodes[0] > episodes[1] && episodes[1] > episodes[2], string.Join(",", episodes));
        Assert.InRange(episodes[2], 22, 23);
    }

    [Fact]
    public void The_report_encodes_every_text_and_keeps_data_inside_its_script()
    {
        var hostile = "<script>alert(1)</script>";
        var result = new BacktestResult
        {
            From = new DateOnly(2025, 3, 3),
            To = new DateOnly(2025, 3, 4),
            Sessions = [],
            Episodes = [],
            Summary = [],
            Regimes = new Dictionary<string, int>(),
            Series = [new SeriesCoverage(hostile, new DateOnly(2025, 3, 3), new DateOnly(2025, 3, 4), 2)],
            Sweep = new SweepReport { Setting = hostile, InSampleFrom = new DateOnly(2025, 3, 3), Split = new DateOnly(2025, 3, 4), OutOfSampleTo = new DateOnly(2025, 3, 4), Rows = [new SweepRow { Value = 1, Error = "</script><script>alert(2)</script>" }] },
        };
        var html = Tapewatch.Infrastructure.Dashboard.EvidenceReport.Render(result, new BtcHistory { Closes = new Dictionary<DateOnly, decimal>(), ClosesSource = "t" });
        Assert.DoesNotContain("<script>alert(", html, StringComparison.Ordinal);
        Assert.DoesNotContain("</script><script>alert(2)", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
    }
}
