using Tapewatch.Core.Domain;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Core.Time;

namespace Tapewatch.Infrastructure.Dashboard;

/// <summary>Turns stored sessions, weeks, derivatives and evaluations into aligned chart series (pure).</summary>
public static class DashboardChartBuilder
{
    public const string SnapbackStreak = "snapback";
    public const string RebuildStreak = "rebuild";
    public const string CautionStreak = "caution";

    /// <param name="sessions">Sessions from a little before <paramref name="from"/> (streak context) to <paramref name="to"/>.</param>
    public static DashboardChartData Build(
        DateOnly from,
        DateOnly to,
        TradingCalendar calendar,
        DashboardOptions options,
        IReadOnlyList<EtfSession> sessions,
        IReadOnlyList<WeeklyFundFlow> weeks,
        IReadOnlyList<DerivativesDaily> derivatives,
        IReadOnlyList<RegimeEvaluation> history,
        RegimeEvaluation? current)
    {
        var byDate = sessions.GroupBy(s => s.Date).ToDictionary(g => g.Key, g => g.Last());
        var contextStart = sessions.Count > 0 && sessions[0].Date < from ? sessions[0].Date : from;
        var allDays = calendar.Sessions(contextStart, to).ToList();
        var streaks = Streaks(allDays, byDate, options);
        var days = allDays.Where(d => d >= from).ToList();

        var derivativesByDate = derivatives.GroupBy(d => d.Session).ToDictionary(g => g.Key, g => g.Last());
        var regimes = history.GroupBy(h => h.AsOfSession).ToDictionary(g => g.Key, g => g.Last().Regime);
        if (current is not null) regimes[current.AsOfSession] = current.Regime;

        var fridays = new List<DateOnly>();
        for (var friday = TradingCalendar.WeekStart(from).AddDays(4); friday <= TradingCalendar.WeekStart(to).AddDays(4); friday = friday.AddDays(7))
        {
            fridays.Add(friday);
        }

        var coinShares = weeks.GroupBy(w => w.WeekEnding).ToDictionary(g => g.Key, g => g.Last());
        var usEtf = new List<decimal?>();
        var partial = new List<bool>();
        foreach (var friday in fridays)
        {
            var end = friday < to ? friday : to;
            var expected = calendar.Sessions(friday.AddDays(-4), end).ToList();
            var complete = expected.Count > 0 && expected.All(byDate.ContainsKey);
            usEtf.Add(complete ? expected.Sum(d => byDate[d].TotalUsdM) : null);
            partial.Add(friday > to && calendar.Sessions(to.AddDays(1), friday).Any());
        }

        return new DashboardChartData
        {
            Sessions = days.Select(Iso).ToList(),
            Flows = days.Select(d => byDate.TryGetValue(d, out var s) ? s.TotalUsdM : (decimal?)null).ToList(),
            Provisional = days.Select(d => byDate.TryGetValue(d, out var s) && s.Status == SessionStatus.Provisional).ToList(),
            Streak = days.Select(d => streaks.GetValueOrDefault(d)).ToList(),
            Regimes = days.Select(d => regimes.TryGetValue(d, out var r) ? r.ToString() : null).ToList(),
            Basis = days.Select(d => derivativesByDate.GetValueOrDefault(d)?.Basis3mAnnualizedPct).ToList(),
            Funding = days.Select(d => derivativesByDate.GetValueOrDefault(d)?.FundingAnnualizedPct).ToList(),
            OffshoreOpenInterest = days.Select(d => derivativesByDate.GetValueOrDefault(d)?.OffshoreOpenInterestBtc).ToList(),
            CmeOpenInterest = days.Select(d => derivativesByDate.GetValueOrDefault(d)?.CmeOpenInterestBtc).ToList(),
            Weeks = fridays.Select(Iso).ToList(),
            WeeksUsEtf = usEtf,
            WeeksPartial = partial,
            WeeksCoinShares = fridays.Select(f => coinShares.TryGetValue(f, out var w) ? Math.Round(w.TotalUsd / 1_000_000m, 1) : (decimal?)null).ToList(),
            Thresholds = new ChartThresholds
            {
                RebuildSessionMin = options.RebuildSessionMinUsdM,
                SnapbackSessionMin = options.SnapbackSessionMinUsdM,
                RebuildStreak = options.RebuildStreak,
                CautionStreak = options.CautionStreak,
                BasisCautionMax = options.BasisCautionMaxPct,
                BasisRebuildMin = options.BasisRebuildMinPct,
                BasisSnapbackMin = options.BasisSnapbackMinPct,
                FundingSubduedMax = options.FundingSubduedMaxPct,
                FundingRiskMin = options.FundingRiskMinPct,
            },
            DerivativesIllustrative = derivatives.Any(d => d.Session >= from && d.Illustrative),
        };
    }

    /// <summary>
    /// Marks sessions that belong to a run meeting a trigger: ≥ RebuildStreak sessions each ≥ +min (rebuild),
    /// ≥ CautionStreak sessions each &lt; 0 (caution), or a single session ≥ the Snapback minimum. A session
    /// without data ends every run (its streak is unknown, so nothing is highlighted across it).
    /// </summary>
    internal static Dictionary<DateOnly, string> Streaks(IReadOnlyList<DateOnly> days, IReadOnlyDictionary<DateOnly, EtfSession> byDate, DashboardOptions options)
    {
        var result = new Dictionary<DateOnly, string>();
        var green = new List<DateOnly>();
        var red = new List<DateOnly>();

        void Flush(List<DateOnly> run, int target, string label)
        {
            if (run.Count >= target)
            {
                foreach (var d in run) result.TryAdd(d, label);
            }

            run.Clear();
        }

        foreach (var day in days)
        {
            if (!byDate.TryGetValue(day, out var session))
            {
                Flush(green, options.RebuildStreak, RebuildStreak);
                Flush(red, options.CautionStreak, CautionStreak);
                continue;
            }

            var total = session.TotalUsdM;
            if (total >= options.SnapbackSessionMinUsdM) result[day] = SnapbackStreak;
            if (total >= options.RebuildSessionMinUsdM) green.Add(day);
            else Flush(green, options.RebuildStreak, RebuildStreak);
            if (total < 0) red.Add(day);
            else Flush(red, options.CautionStreak, CautionStreak);
        }

        Flush(green, options.RebuildStreak, RebuildStreak);
        Flush(red, options.CautionStreak, CautionStreak);
        return result;
    }

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
