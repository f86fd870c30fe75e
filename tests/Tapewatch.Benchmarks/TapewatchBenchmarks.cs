using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Tapewatch.Core.Domain;
using Tapewatch.Core.Flows;
using Tapewatch.Infrastructure.Flows;
using Tapewatch.Infrastructure.Api;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Core.Time;
using Tapewatch.TestSupport;

namespace Tapewatch.Benchmarks;

/// <summary>
/// The hot paths: parse Farside's all-data page (~700 sessions in its real markup, generated), evaluate one session, replay
/// 700 sessions (backtest), serialise the /api/regime document.
/// </summary>
[MemoryDiagnoser]
public class TapewatchBenchmarks
{
    public const int Sessions = 700;

    private string _page = "";
    private RegimeEngine _engine = null!;
    private RuleInputs _inputs = null!;
    private DateOnly _latest;
    private RegimeEvaluation _evaluation = null!;

    [GlobalSetup]
    public void Setup()
    {
        _page = FarsideMarkup.AllDataPage(Sessions);
        var parsed = FarsideHtmlParser.Parse(_page);
        if (!parsed.Succeeded || parsed.Rows.Count != Sessions) throw new InvalidOperationException($"setup: {parsed.Rows.Count} rows, {parsed.Error}");
        var sessions = Backtest.SessionsFromRows(parsed.Rows, "farside");
        var weeks = sessions.GroupBy(s => s.Date.AddDays(5 - (int)s.Date.DayOfWeek)).Select(g => new WeeklyFundFlow
        {
            WeekEnding = g.Key,
            PublishedOn = g.Key.AddDays(3),
            TotalUsd = (long)(g.Sum(s => s.TotalUsdM) * 1_100_000m),
            Assets = new Dictionary<string, long>(),
            Source = "coinshares",
        });
        var derivatives = sessions.Select((s, i) => new DerivativesDaily
        {
            Session = s.Date,
            AsOfUtc = new DateTimeOffset(s.Date.ToDateTime(new TimeOnly(21, 30)), TimeSpan.Zero),
            Basis3mAnnualizedPct = 4m + (i % 10),
            FundingAnnualizedPct = 5m + (i % 7),
            OffshoreOpenInterestBtc = 200_000m + (i * 10),
            OffshoreOpenInterestChange5SessionsPct = (i % 5) - 2m,
            CmeOpenInterestBtc = 120_000m,
            CmeOpenInterestChangeBtc = 500m,
            CmeReportDate = s.Date.AddDays(-((int)s.Date.DayOfWeek + 5) % 7),
        });
        _engine = new RegimeEngine(new RulesOptions(), TradingCalendar.Default);
        _inputs = new RuleInputs(sessions, weeks, derivatives);
        _latest = sessions[^1].Date;
        _evaluation = _engine.Evaluate(_inputs, _latest, NowAfter(_latest), NowAfter(_latest));
    }

    [Benchmark(Description = "Parse Farside all-data page (700 rows)")]
    public int ParseAllDataPage() => FarsideHtmlParser.Parse(_page).Rows.Count;

    [Benchmark(Description = "Evaluate one session")]
    public RegimeEvaluation EvaluateOneSession() => _engine.Evaluate(_inputs, _latest, NowAfter(_latest), NowAfter(_latest));

    [Benchmark(Description = "Backtest 700 sessions")]
    public int Backtest700() => Backtest.Run(_engine, _inputs).Sessions.Count;

    [Benchmark(Description = "Serialise /api/regime")]
    public byte[] SerialiseRegime() => JsonSerializer.SerializeToUtf8Bytes(_evaluation, ApiJson.Options);

    private static DateTimeOffset NowAfter(DateOnly session) => new(session.AddDays(1).ToDateTime(new TimeOnly(2, 0)), TimeSpan.Zero);
}
