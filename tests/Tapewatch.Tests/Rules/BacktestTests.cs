using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Tapewatch.Core.Flows;
using Tapewatch.Infrastructure.Flows;
using Tapewatch.Core.Evidence;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Local.Commands;
using Tapewatch.TestSupport;
using static Tapewatch.Tests.Rules.RuleTestData;

namespace Tapewatch.Tests.Rules;

public sealed class BacktestTests
{
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Rules", "flows_small.csv");

    private static RuleInputs FromCsv(string path)
    {
        using var reader = File.OpenText(path);
        var parsed = FlowsCsvReader.Parse(reader);
        Assert.True(parsed.Succeeded, parsed.Error);
        return new RuleInputs(Backtest.SessionsFromRows(parsed.Rows, "csv"), coverageStart: parsed.Rows.Min(r => r.Date));
    }

    [Fact]
    public void Real_CSV_Caution_streak_from_29_October_2025_reaches_4_red_sessions_on_3_November()
    {
        var inputs = FromCsv(TestPaths.DataFile("farside", "farside_btc_etf_flows__daily.csv"));
        var result = Backtest.Run(Engine(), inputs);

        var episode = Assert.Single(result.Episodes, e => e.Scenario == ScenarioKind.Caution && e.Start == D("2025-11-03"));
        Assert.Equal(D("2025-11-05"), episode.End); // 4 and 5 Nov stay red; 6 Nov +239.9 ends it
        var byDate = result.Sessions.ToDictionary(s => s.Date);
        Assert.Equal(ScenarioStatus.Building, byDate[D("2025-10-31")].Scenarios["caution"]);
        Assert.Equal(ScenarioStatus.Triggered, byDate[D("2025-11-03")].Scenarios["caution"]);
        Assert.Equal(Regime.Caution, byDate[D("2025-11-03")].Regime);
        Assert.Equal(-186.5m, byDate[D("2025-11-03")].Total);
        Assert.Equal(Regime.Stabilizing, byDate[D("2025-11-06")].Regime);
        Assert.Equal(Regime.Reset, byDate[D("2025-11-07")].Regime);
    }

    [Fact]
    public void Real_CSV_Rebuild_streak_of_24_to_26_February_2026_triggers_on_the_26th()
    {
        var inputs = FromCsv(TestPaths.DataFile("farside", "farside_btc_etf_flows__daily.csv"));
        var result = Backtest.Run(Engine(), inputs, D("2026-02-20"), D("2026-03-06"));

        var byDate = result.Sessions.ToDictionary(s => s.Date);
        Assert.Equal(ScenarioStatus.Building, byDate[D("2026-02-24")].Scenarios["rebuild"]);
        Assert.Equal(ScenarioStatus.Building, byDate[D("2026-02-25")].Scenarios["rebuild"]);
        Assert.Equal(ScenarioStatus.Triggered, byDate[D("2026-02-26")].Scenarios["rebuild"]);
        Assert.Equal(Regime.Rebuild, byDate[D("2026-02-26")].Regime);
        var episode = Assert.Single(result.Episodes, e => e.Scenario == ScenarioKind.Rebuild && e.Start == D("2026-02-26"));
        Assert.Equal(D("2026-02-26"), episode.End); // 27 Feb −27.5 breaks it
        Assert.Equal(1, episode.Sessions);
    }

    [Fact]
    public void Real_CSV_episodes_follow_the_rules()
    {
        var path = TestPaths.DataFile("farside", "farside_btc_etf_flows__daily.csv");
        var inputs = FromCsv(path);
        var result = Backtest.Run(Engine(), inputs);

        Assert.Equal(563, result.Sessions.Count); // 579 rows less 16 holiday rows (every fund blank)
        var totals = result.Sessions.ToDictionary(s => s.Date, s => s.Total);
        var dates = result.Sessions.Select(s => s.Date).ToList();
        var caution = result.Episodes.Where(e => e.Scenario == ScenarioKind.Caution).ToList();
        var snapback = result.Episodes.Where(e => e.Scenario == ScenarioKind.Snapback).ToList();
        Assert.Equal(21, caution.Count);
        Assert.Equal(16, snapback.Count);
        Assert.Equal(23, result.Episodes.Count(e => e.Scenario == ScenarioKind.Rebuild));
        foreach (var e in caution)
        {
            var i = dates.IndexOf(e.Start);
            Assert.True(i >= 3, $"Caution episode at {e.Start} without 4 sessions before it");
            Assert.All(dates.GetRange(i - 3, 4), d => Assert.True(totals[d] < 0, $"{d} in the Caution run of {e.Start} is not red"));
        }

        foreach (var e in snapback)
        {
            Assert.True(totals[e.Start] >= 750m);
        }
    }

    [Fact]
    public async Task Cli_backtest_prints_the_documented_json_shape()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await BacktestCommand.RunAsync(new FileInfo(Fixture), null, null, null, true, new ConfigurationBuilder().Build(), output, error, CancellationToken.None);
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output.ToString());
        var sessions = doc.RootElement.GetProperty("sessions");
        Assert.Equal(12, sessions.GetArrayLength());
        var nov3 = sessions.EnumerateArray().Single(s => s.GetProperty("date").GetString() == "2025-11-03");
        Assert.Equal(-186.5m, nov3.GetProperty("total").GetDecimal());
        Assert.Equal("Caution", nov3.GetProperty("regime").GetString());
        Assert.Equal("Triggered", nov3.GetProperty("scenarios").GetProperty("caution").GetString());
        // Building, not Idle: the bundled funding history (issue #16) knows funding was subdued that day, a Rebuild confirmation.
        Assert.Equal("Building", nov3.GetProperty("scenarios").GetProperty("rebuild").GetString());
        Assert.Equal("Idle", nov3.GetProperty("scenarios").GetProperty("snapback").GetString());
        var episode = Assert.Single(doc.RootElement.GetProperty("episodes").EnumerateArray());
        Assert.Equal("Caution", episode.GetProperty("scenario").GetString());
        Assert.Equal("2025-11-03", episode.GetProperty("start").GetString());
        Assert.Equal("2025-11-05", episode.GetProperty("end").GetString());
    }

    [Fact]
    public async Task Cli_backtest_text_has_sessions_episodes_and_summary_and_forward_returns_with_prices()
    {
        var prices = Path.Combine(Path.GetTempPath(), $"tw-prices-{Guid.NewGuid():N}.csv");
        var lines = new List<string> { "date,close" };
        var price = 100m;
        foreach (var d in Calendar.Sessions(D("2025-10-27"), D("2025-12-31")))
        {
            lines.Add($"{d:yyyy-MM-dd},{price.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
            price += 1m;
        }

        await File.WriteAllLinesAsync(prices, lines, CancellationToken.None);
        try
        {
            var output = new StringWriter();
            var code = await BacktestCommand.RunAsync(new FileInfo(Fixture), new FileInfo(prices), "2025-10-29", null, false, new ConfigurationBuilder().Build(), output, TextWriter.Null, CancellationToken.None);
            Assert.Equal(0, code);
            var text = output.ToString();
            Assert.Contains("2025-11-03     -186.5  Caution", text, StringComparison.Ordinal);
            Assert.Contains("Caution    2025-11-03  2025-11-05         3  no", text, StringComparison.Ordinal);
            Assert.Contains("Summary", text, StringComparison.Ordinal);
            // 3 Nov is the 6th session (105); 5 sessions later (10 Nov) it is 110: +4.76 %.
            Assert.Contains("4.76", text, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(prices);
        }
    }

    /// <summary>The CLI writes backtest JSON with compile-time metadata (start-up): the bytes must stay those of ApiJson.Options.</summary>
    [Fact]
    public void Cli_backtest_json_is_byte_for_byte_what_ApiJson_writes()
    {
        var inputs = FromCsv(TestPaths.DataFile("farside", "farside_btc_etf_flows__daily.csv"));
        var closes = inputs.SessionDates.Select((d, i) => (d, i)).Where(x => x.i % 7 != 3).ToDictionary(x => x.d, x => 40_000m + (x.i * 37 % 1000));
        var real = Backtest.Run(Engine(), inputs, closes: closes, warnings: ["a warning"]);
        var edges = new BacktestResult
        {
            From = null,
            To = D("2025-11-07"),
            Sessions = [new BacktestSession { Date = D("2025-11-07"), Total = -0.05m, Regime = Regime.Reset, Scenarios = new Dictionary<string, ScenarioStatus> { ["rebuild"] = ScenarioStatus.Confirmed, ["x<&'\"é+"] = ScenarioStatus.Idle }, Provisional = true }],
            Episodes = [new BacktestEpisode { Scenario = ScenarioKind.Snapback, Start = D("2025-11-03"), End = D("2025-11-07"), Sessions = 5, Confirmed = true, Open = true, ForwardReturnsPct = new Dictionary<string, decimal?> { ["5"] = 1.2345678901234567890m, ["10"] = null } }],
            Summary = [new BacktestSummaryRow { Scenario = ScenarioKind.Caution, Episodes = 0, SessionsTriggered = 0, ConfirmedEpisodes = 0, AverageEpisodeSessions = null, AverageForwardReturnsPct = null }],
            Regimes = new Dictionary<string, int> { ["Reset"] = 1 },
            Warnings = ["quotes \" <tags> & 'apostrophes', non-ASCII: é €, control: \u0001"],
            Evidence = real.Evidence,
            Series = [new SeriesCoverage("flows <csv> & \"é\"", D("2025-11-03"), D("2025-11-07"), 5), new SeriesCoverage("funding", D("2019-09-10"), D("2026-04-22"), 7000)],
            Sweep = new SweepReport
            {
                Setting = "Rebuild.MinDailyFlowUsdM",
                InSampleFrom = D("2024-01-11"),
                Split = D("2025-07-14"),
                OutOfSampleTo = D("2025-11-07"),
                Rows = [new SweepRow { Value = 150.5m, InSample = real.Evidence, OutOfSample = real.Evidence }, new SweepRow { Value = -1, Error = "refused: <Rebuild> must be > 0" }],
            },
        };
        Assert.NotNull(real.Evidence);
        Assert.NotEmpty(real.Evidence);

        foreach (var result in new[] { real, edges })
        {
            Assert.Equal(JsonSerializer.Serialize(result, Tapewatch.Infrastructure.Api.ApiJson.Options), JsonSerializer.Serialize(result, CliJsonContext.Default.BacktestResult));
        }
    }

    [Theory]
    [InlineData("2025-13-01", null, 2)]
    [InlineData("2025-11-05", "2025-11-01", 2)]
    public async Task Cli_backtest_rejects_bad_dates_with_exit_code_2(string? from, string? to, int expected)
    {
        var error = new StringWriter();
        var code = await BacktestCommand.RunAsync(new FileInfo(Fixture), null, from, to, false, new ConfigurationBuilder().Build(), TextWriter.Null, error, CancellationToken.None);
        Assert.Equal(expected, code);
        Assert.StartsWith("error: --", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_backtest_without_csv_or_storage_is_a_configuration_error()
    {
        var error = new StringWriter();
        var code = await BacktestCommand.RunAsync(null, null, null, null, false, new ConfigurationBuilder().Build(), TextWriter.Null, error, CancellationToken.None);
        Assert.Equal(3, code);
        Assert.Contains("--flows-csv", error.ToString(), StringComparison.Ordinal);
    }
}
