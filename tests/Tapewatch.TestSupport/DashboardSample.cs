using Azure.Data.Tables;
using Tapewatch.Core.Domain;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.Core.Time;
using Tapewatch.Infrastructure.Derivatives;
using Tapewatch.Infrastructure.Flows;
using Tapewatch.Infrastructure.Weekly;

namespace Tapewatch.TestSupport;

/// <summary>
/// Hand-made sample data for dashboard tests (not the shared reference data): ETF sessions from
/// 2 Sep to 11 Nov 2025 (the DESIGN worked example's November figures, invented figures before), weekly
/// CoinShares totals, derivatives readings, a hand-built current evaluation (Reset, provisional) and
/// one history evaluation per session. <see cref="Hostile"/> swaps scraped text for markup payloads.
/// </summary>
public sealed class DashboardSample
{
    public static readonly DateOnly AsOf = new(2025, 11, 11);
    public static readonly DateOnly First = new(2025, 9, 2);
    public static readonly DateTimeOffset Seen = new(2025, 11, 12, 1, 30, 0, TimeSpan.Zero);

    public const string ScriptPayload = "<script>window.__xss='script';alert('xss-script')</script>";
    public const string ImgPayload = "\"><img src=x onerror=\"window.__xss='img';alert('xss-img')\">";
    public const string BreakoutPayload = "</script><script>window.__xss='breakout'</script><!--";

    private static readonly string[] Funds = ["IBIT", "FBTC", "BITB", "ARKB", "GBTC", "BTC"];

    // Invented daily totals (US$m) for Sep–Oct, one row per week (Mon–Fri; 1 Sep was Labor Day); November is DESIGN §3's worked example.
    private static readonly decimal[] Autumn =
    [
        332.7m, -160.1m, 301.3m, -227.2m,               // 2–5 Sep
        368.2m, 23.0m, 741.5m, 552.8m, 642.9m,          // 8–12 Sep
        260.0m, 292.3m, 163.0m, -51.3m, 246.3m,         // 15–19 Sep
        -103.5m, -258.4m, 241.0m, -253.4m, -418.3m,     // 22–26 Sep
        521.9m, 429.9m, 675.9m, 627.2m, 985.1m,         // 29 Sep – 3 Oct
        1205.3m, 875.6m, 440.7m, 197.8m, -4.5m,         // 6–10 Oct
        102.6m, -326.5m, 12.4m, -93.3m, -536.4m,        // 13–17 Oct
        477.2m, 478.9m, -101.3m, 20.3m, 90.6m,          // 20–24 Oct
        149.3m, 202.5m, -470.7m, -488.4m, -191.6m,      // 27–31 Oct
    ];

    private static readonly decimal[] November = [-186.5m, -566.4m, -137.0m, 239.9m, -558.4m, 1.2m, 524.0m];

    private DashboardSample(bool hostile)
    {
        IsHostile = hostile;
    }

    public bool IsHostile { get; }

    public static DashboardSample Normal { get; } = new(hostile: false);

    public static DashboardSample Hostile { get; } = new(hostile: true);

    public string FundName => IsHostile ? ScriptPayload : "IBIT";

    public string SessionSource => IsHostile ? ImgPayload : "farside";

    public string Headline => IsHostile
        ? "Reset " + ScriptPayload + ImgPayload + BreakoutPayload
        : "Reset: the week to 7 Nov summed −1,208.4m; Rebuild building (green streak 1 of 3).";

    public IReadOnlyList<EtfSession> Sessions()
    {
        var calendar = TradingCalendar.Default;
        var days = calendar.Sessions(First, AsOf).ToList();
        var totals = Autumn.Concat(November).ToList();
        if (days.Count != totals.Count) throw new InvalidOperationException($"Sample has {totals.Count} totals for {days.Count} sessions.");
        var result = new List<EtfSession>();
        for (var i = 0; i < days.Count; i++)
        {
            var latest = days[i] == AsOf;
            result.Add(new EtfSession
            {
                Date = days[i],
                Funds = Split(totals[i], latest),
                TotalUsdM = totals[i],
                Status = latest ? SessionStatus.Provisional : SessionStatus.Final,
                Source = latest ? SessionSource : "farside",
                FirstSeenUtc = Seen,
                LastChangedUtc = Seen,
            });
        }

        return result;
    }

    private Dictionary<string, decimal?> Split(decimal total, bool latest)
    {
        var funds = new Dictionary<string, decimal?>(StringComparer.Ordinal);
        var ibit = Math.Round(total * 0.6m, 1);
        var fbtc = Math.Round(total * 0.25m, 1);
        funds[latest ? FundName : "IBIT"] = ibit;
        funds["FBTC"] = fbtc;
        funds["BITB"] = Math.Round(total - ibit - fbtc, 1);
        foreach (var f in Funds.Skip(3)) funds[f] = latest ? null : 0m;
        return funds;
    }

    public IReadOnlyList<WeeklyFundFlow> Weeks() =>
    [
        Week(new DateOnly(2025, 10, 3), 5_950_000_000),
        Week(new DateOnly(2025, 10, 10), 3_170_000_000),
        Week(new DateOnly(2025, 10, 17), -513_000_000),
        Week(new DateOnly(2025, 10, 24), 921_000_000),
        Week(new DateOnly(2025, 10, 31), -360_000_000),
        Week(new DateOnly(2025, 11, 7), -1_170_000_000),
    ];

    private static WeeklyFundFlow Week(DateOnly friday, long total) => new()
    {
        WeekEnding = friday,
        PublishedOn = friday.AddDays(3),
        TotalUsd = total,
        Source = "coinshares",
        LastChangedUtc = Seen,
    };

    public IReadOnlyList<DerivativesDaily> Derivatives()
    {
        var days = TradingCalendar.Default.Sessions(First, AsOf).ToList();
        return days.Select((d, i) => new DerivativesDaily
        {
            Session = d,
            AsOfUtc = NewYorkTime.CloseUtc(d),
            Basis3mAnnualizedPct = Math.Round(9.5m - (i * 0.09m) + ((i % 5) * 0.3m), 2),
            FundingAnnualizedPct = Math.Round(11m - (i * 0.12m) + ((i % 3) * 0.8m), 2),
            OffshoreOpenInterestBtc = 310_000m + (i * 900m) - (i > 35 ? (i - 35) * 3_500m : 0m),
            OffshoreOpenInterestChange5SessionsPct = i > 35 ? -2.1m : 1.4m,
            CmeOpenInterestBtc = 140_000m + ((i / 5) * 1_200m),
            CmeOpenInterestChangeBtc = 1_200m,
            CmeReportDate = d.AddDays(-(((int)d.DayOfWeek - 2 + 7) % 7)),
            Venues = ["binance", "okx", "bybit", "deribit"],
        }).ToList();
    }

    public RegimeEvaluation Current() => new()
    {
        AsOfSession = AsOf,
        Provisional = true,
        Regime = Regime.Reset,
        Headline = Headline,
        SessionTotalUsdM = 524.0m,
        EvaluatedUtc = Seen,
        Scenarios =
        [
            new ScenarioResult
            {
                Scenario = ScenarioKind.Rebuild,
                Status = ScenarioStatus.Building,
                StreakLength = 1,
                StreakTarget = 3,
                Summary = "Green streak 1 of 3.",
                Conditions =
                [
                    Condition("rebuild.trigger.streak", "Last 3 sessions each ≥ +200", "+524.0 (streak 1 of 3)", "≥ +200.0", false, trigger: true, source: SessionSource),
                    Condition("rebuild.confirm.basis", "3m basis ≥ 8% and rising over the streak", "5.1%", "≥ 8%", false, dataset: Datasets.Derivatives),
                    Condition("rebuild.confirm.oi", "OI rebuilding (offshore 5-session change > 0, CME latest COT change > 0)", null, "> 0", null, dataset: Datasets.Derivatives, unknown: "derivatives data is stale"),
                    Condition("rebuild.confirm.funding", "Funding subdued (annualised ≤ 10%)", "6.2%", "≤ 10%", true, dataset: Datasets.Derivatives),
                ],
            },
            new ScenarioResult
            {
                Scenario = ScenarioKind.Caution,
                Status = ScenarioStatus.Idle,
                StreakLength = 0,
                StreakTarget = 4,
                Conditions =
                [
                    Condition("caution.trigger.streak", "Last 4 sessions each < 0", "0 of 4", "< 0", false, trigger: true, source: "farside"),
                    Condition("caution.confirm.coinshares", IsHostile ? "CoinShares " + ImgPayload : "Latest CoinShares week ≤ −1,000", "−1,170.0", "≤ −1,000", true, dataset: Datasets.WeeklyFlows, source: IsHostile ? ScriptPayload : "coinshares"),
                    Condition("caution.confirm.basis", "3m basis ≤ 3%", "5.1%", "≤ 3%", false, dataset: Datasets.Derivatives),
                ],
            },
            new ScenarioResult
            {
                Scenario = ScenarioKind.Snapback,
                Status = ScenarioStatus.Idle,
                StreakLength = 0,
                StreakTarget = 1,
                Conditions =
                [
                    Condition("snapback.trigger.session", "Latest session ≥ +750", "+524.0", "≥ +750", false, trigger: true, source: "farside"),
                    Condition("snapback.confirm.ledger", "This week's sessions sum > 0 after last week < 0", "+525.2 after −1,208.4", "> 0 after < 0", true, dataset: Datasets.EtfFlows),
                    Condition("snapback.confirm.basis", "3m basis ≥ 12%", "5.1%", "≥ 12%", false, dataset: Datasets.Derivatives),
                    Condition("snapback.risk.funding", "Funding ≥ 20% annualised (late-cycle leverage)", "6.2%", "≥ 20%", false, risk: true, dataset: Datasets.Derivatives),
                ],
            },
        ],
        Signals =
        [
            new SignalResult { Id = "stabilizing", Text = "Stabilizing: latest session in +150…+300 after a negative week", Active = false, Observed = "+524.0" },
            new SignalResult { Id = "etf-led", Text = "ETF-led: US ETF week ÷ CoinShares global ≥ 0.8, same sign", Active = true, Observed = "1.03" },
            new SignalResult { Id = "deleveraging", Text = "Deleveraging: basis 4–6%, funding and OI falling", Active = null },
        ],
        Freshness =
        [
            new DatasetFreshness { Dataset = Datasets.EtfFlows, LatestAsOf = AsOf, LastUpdatedUtc = Seen, Stale = false, Note = IsHostile ? ImgPayload : "2 funds pending" },
            new DatasetFreshness { Dataset = Datasets.WeeklyFlows, LatestAsOf = new DateOnly(2025, 11, 7), LastUpdatedUtc = Seen.AddDays(-1), Stale = false },
            new DatasetFreshness { Dataset = Datasets.Derivatives, LatestAsOf = new DateOnly(2025, 11, 7), LastUpdatedUtc = Seen.AddDays(-4), Stale = true, Note = "no snapshot since Fri 7 Nov" },
        ],
    };

    private static ConditionResult Condition(string id, string text, string? observed, string threshold, bool? met, bool trigger = false, bool risk = false, string? dataset = null, string? source = null, string? unknown = null) => new()
    {
        Id = id,
        Text = text,
        Observed = observed,
        Threshold = threshold,
        Met = met,
        IsTrigger = trigger,
        IsRiskFlag = risk,
        AsOf = AsOf,
        Dataset = dataset ?? Datasets.EtfFlows,
        Source = source,
        UnknownReason = unknown,
    };

    /// <summary>One evaluation per session: Rebuild/Snapback in late Sep–early Oct, Caution 3–5 Nov, Stabilizing 6 Nov, Reset after.</summary>
    public IReadOnlyList<RegimeEvaluation> History()
    {
        var template = Current();
        return TradingCalendar.Default.Sessions(First, AsOf).Select(d => template with
        {
            AsOfSession = d,
            Provisional = false,
            Headline = "History " + d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Regime = d switch
            {
                _ when d >= new DateOnly(2025, 11, 7) => Regime.Reset,
                _ when d == new DateOnly(2025, 11, 6) => Regime.Stabilizing,
                _ when d >= new DateOnly(2025, 11, 3) => Regime.Caution,
                _ when d >= new DateOnly(2025, 10, 3) && d <= new DateOnly(2025, 10, 6) => Regime.Snapback,
                _ when d >= new DateOnly(2025, 9, 30) && d <= new DateOnly(2025, 10, 8) => Regime.Rebuild,
                _ when d >= new DateOnly(2025, 10, 17) && d <= new DateOnly(2025, 10, 20) => Regime.Reset,
                _ => Regime.Neutral,
            },
        }).ToList();
    }

    /// <summary>Writes everything through the stores' ToEntity methods.</summary>
    public async Task SeedAsync(string connectionString, CancellationToken cancellationToken)
    {
        var service = new TableServiceClient(connectionString);
        async Task<TableClient> Table(string name)
        {
            var t = service.GetTableClient(name);
            await t.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            return t;
        }

        var sessions = await Table(TableNames.EtfSessions).ConfigureAwait(false);
        foreach (var s in Sessions()) await sessions.UpsertEntityAsync(EtfSessionStore.ToEntity(s), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        var weeks = await Table(TableNames.WeeklyFlows).ConfigureAwait(false);
        foreach (var w in Weeks()) await weeks.UpsertEntityAsync(WeeklyFlowStore.ToEntity(w), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        var derivatives = await Table(TableNames.DerivativesDaily).ConfigureAwait(false);
        foreach (var d in Derivatives()) await derivatives.UpsertEntityAsync(DerivativesDailyStore.ToEntity(d), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        var history = await Table(TableNames.EvaluationHistory).ConfigureAwait(false);
        foreach (var h in History())
        {
            await history.UpsertEntityAsync(EvaluationStore.ToEntity(TableValues.Year(h.AsOfSession), TableValues.Date(h.AsOfSession), h), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }

        var current = await Table(TableNames.Evaluations).ConfigureAwait(false);
        await current.UpsertEntityAsync(EvaluationStore.ToEntity(EvaluationStore.CurrentPartition, EvaluationStore.CurrentRow, Current()), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }
}
