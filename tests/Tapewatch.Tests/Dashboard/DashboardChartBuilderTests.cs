using Tapewatch.Infrastructure.Dashboard;
using Tapewatch.Core.Domain;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Core.Time;
using Tapewatch.TestSupport;

namespace Tapewatch.Tests.Dashboard;

public sealed class DashboardChartBuilderTests
{
    private static readonly DashboardOptions Options = new();

    private static EtfSession Session(DateOnly date, decimal total, SessionStatus status = SessionStatus.Final) => new()
    {
        Date = date,
        Funds = new Dictionary<string, decimal?> { ["IBIT"] = total },
        TotalUsdM = total,
        Status = status,
        Source = "test",
    };

    private static DashboardChartData Build(DateOnly from, DateOnly to, IReadOnlyList<EtfSession> sessions, IReadOnlyList<WeeklyFundFlow>? weeks = null, IReadOnlyList<RegimeEvaluation>? history = null, RegimeEvaluation? current = null) =>
        DashboardChartBuilder.Build(from, to, TradingCalendar.Default, Options, sessions, weeks ?? [], [], history ?? [], current);

    [Fact]
    public void Sessions_follow_the_NYSE_calendar_and_gaps_stay_null()
    {
        // 24–28 Nov 2025: Thanksgiving (27th) is not a session; the 25th is missing from storage.
        var data = Build(new DateOnly(2025, 11, 24), new DateOnly(2025, 11, 28),
        [
            Session(new DateOnly(2025, 11, 24), 10m),
            Session(new DateOnly(2025, 11, 26), 20m),
            Session(new DateOnly(2025, 11, 28), 30m, SessionStatus.Provisional),
        ]);
        Assert.Equal(["2025-11-24", "2025-11-25", "2025-11-26", "2025-11-28"], data.Sessions);
        Assert.Equal([10m, null, 20m, 30m], data.Flows);
        Assert.Equal([false, false, false, true], data.Provisional);
        Assert.All([data.Basis, data.Funding, data.OffshoreOpenInterest, data.CmeOpenInterest], s => Assert.Equal(4, s.Count));
    }

    [Fact]
    public void Streaks_mark_runs_that_meet_a_trigger_and_a_gap_breaks_them()
    {
        var days = TradingCalendar.Default.Sessions(new DateOnly(2025, 10, 1), new DateOnly(2025, 10, 31)).ToList();
        // 1–3 Oct: three ≥ +200 (rebuild; 3 Oct ≥ 750 is snapback); 6 Oct +100 ends it; 7 Oct one ≥ +200 (no);
        // 8–10 Oct: red ×3, 13 Oct missing, 14–15 red ×2 (a gap: no caution run); 20–23 Oct: red ×4 (caution).
        var values = new Dictionary<DateOnly, decimal>
        {
            [days[0]] = 250m, [days[1]] = 300m, [days[2]] = 800m,
            [days[3]] = 100m, [days[4]] = 220m,
            [days[5]] = -1m, [days[6]] = -2m, [days[7]] = -3m,
            [days[9]] = -4m, [days[10]] = -5m,
            [days[11]] = 50m, [days[12]] = 50m,
            [days[13]] = -10m, [days[14]] = -10m, [days[15]] = -10m, [days[16]] = -10m,
        };
        var data = Build(days[0], days[^1], values.Select(kv => Session(kv.Key, kv.Value)).ToList());
        string? At(int i) => data.Streak[i];
        Assert.Equal(DashboardChartBuilder.RebuildStreak, At(0));
        Assert.Equal(DashboardChartBuilder.RebuildStreak, At(1));
        Assert.Equal(DashboardChartBuilder.SnapbackStreak, At(2));
        Assert.Null(At(3));
        Assert.Null(At(4));
        Assert.All(Enumerable.Range(5, 6), i => Assert.Null(At(i)));
        Assert.All(Enumerable.Range(13, 4), i => Assert.Equal(DashboardChartBuilder.CautionStreak, At(i)));
        Assert.Null(At(17));
    }

    [Fact]
    public void Weekly_ledger_sums_complete_weeks_and_marks_the_week_in_progress()
    {
        var sample = DashboardSample.Normal;
        var data = Build(new DateOnly(2025, 10, 27), DashboardSample.AsOf, sample.Sessions(), sample.Weeks());
        Assert.Equal(["2025-10-31", "2025-11-07", "2025-11-14"], data.Weeks);
        Assert.Equal(-1208.4m, data.WeeksUsEtf[1]);
        Assert.Equal(-1170.0m, data.WeeksCoinShares[1]);
        Assert.Equal(525.2m, data.WeeksUsEtf[2]);
        Assert.Equal([false, false, true], data.WeeksPartial);
        Assert.Null(data.WeeksCoinShares[2]);
    }

    [Fact]
    public void A_week_with_a_missing_session_has_no_sum()
    {
        var monday = new DateOnly(2025, 11, 3);
        var sessions = Enumerable.Range(0, 5).Where(i => i != 2).Select(i => Session(monday.AddDays(i), 100m)).ToList();
        var data = Build(monday, monday.AddDays(4), sessions);
        Assert.Equal([(decimal?)null], data.WeeksUsEtf);
    }

    [Fact]
    public void Regimes_come_from_history_and_the_current_evaluation_wins_for_its_session()
    {
        var sample = DashboardSample.Normal;
        var history = sample.History().Select(h => h.AsOfSession == DashboardSample.AsOf ? h with { Regime = Regime.Neutral } : h).ToList();
        var data = Build(new DateOnly(2025, 11, 3), DashboardSample.AsOf, sample.Sessions(), history: history, current: sample.Current());
        Assert.Equal(["Caution", "Caution", "Caution", "Stabilizing", "Reset", "Reset", "Reset"], data.Regimes);
    }
}
