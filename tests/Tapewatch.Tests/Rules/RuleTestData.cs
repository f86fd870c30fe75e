using Tapewatch.Core.Domain;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Core.Time;

namespace Tapewatch.Tests.Rules;

/// <summary>Small builders for engine tests (own data; facts from DESIGN §3 where noted).</summary>
internal static class RuleTestData
{
    public static readonly TradingCalendar Calendar = new();

    /// <summary>DESIGN §3 worked example and the sessions before it (Farside daily totals, US$m).</summary>
    public static readonly (string Date, decimal Total)[] October27ToNovember11 =
    [
        ("2025-10-20", -40.4m), ("2025-10-21", 477.2m), ("2025-10-22", -101.4m), ("2025-10-23", 20.3m), ("2025-10-24", 90.6m),
        ("2025-10-27", 149.3m), ("2025-10-28", 202.4m), ("2025-10-29", -470.7m), ("2025-10-30", -488.4m), ("2025-10-31", -191.6m),
        ("2025-11-03", -186.5m), ("2025-11-04", -566.4m), ("2025-11-05", -137.0m), ("2025-11-06", 239.9m), ("2025-11-07", -558.4m),
        ("2025-11-10", 1.2m), ("2025-11-11", 524.0m),
    ];

    public static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static EtfSession Session(string date, decimal total, SessionStatus status = SessionStatus.Final, string source = "farside") => new()
    {
        Date = D(date),
        Funds = status == SessionStatus.Provisional
            ? new Dictionary<string, decimal?> { ["IBIT"] = total, ["FBTC"] = null }
            : new Dictionary<string, decimal?> { ["IBIT"] = total },
        TotalUsdM = total,
        Status = status,
        Source = source,
    };

    public static List<EtfSession> Sessions(IEnumerable<(string Date, decimal Total)> rows) => rows.Select(r => Session(r.Date, r.Total)).ToList();

    /// <summary>Sessions on every trading day from <paramref name="from"/> through <paramref name="to"/> with one total.</summary>
    public static List<EtfSession> Flat(string from, string to, decimal total) =>
        Calendar.Sessions(D(from), D(to)).Select(d => Session(d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), total)).ToList();

    public static WeeklyFundFlow Week(string weekEnding, decimal totalUsdM, string? publishedOn = null) => new()
    {
        WeekEnding = D(weekEnding),
        PublishedOn = publishedOn is null ? null : D(publishedOn),
        TotalUsd = (long)(totalUsdM * 1_000_000m),
        Source = "coinshares",
    };

    public static DerivativesDaily Reading(string session, decimal? basis = null, decimal? funding = null, decimal? oiChange = null, decimal? cmeChange = null, string? cmeReport = null) => new()
    {
        Session = D(session),
        AsOfUtc = NewYorkTime.CloseUtc(D(session)),
        Basis3mAnnualizedPct = basis,
        FundingAnnualizedPct = funding,
        OffshoreOpenInterestChange5SessionsPct = oiChange,
        CmeOpenInterestChangeBtc = cmeChange,
        CmeReportDate = cmeReport is null ? null : D(cmeReport),
        Venues = ["binance", "okx"],
    };

    public static RegimeEngine Engine(Action<RulesOptions>? configure = null)
    {
        var options = new RulesOptions();
        configure?.Invoke(options);
        return new RegimeEngine(options, Calendar);
    }

    public static ConditionResult Condition(this RegimeEvaluation e, string id) =>
        e.Scenarios.SelectMany(s => s.Conditions).Concat(e.Signals.SelectMany(s => s.Conditions)).Concat(e.RegimeConditions).Single(c => c.Id == id);

    public static SignalResult Signal(this RegimeEvaluation e, string id) => e.Signals.Single(s => s.Id == id);
}
