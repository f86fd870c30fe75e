using CsCheck;
using Tapewatch.Core.Domain;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Core.Time;

namespace Tapewatch.Tests.Rules.Properties;

/// <summary>
/// Small, shrinkable generators of rule inputs on the real NYSE calendar. Shrinking (CsCheck) goes towards the first
/// anchor, short windows, zero flows, present final sessions and the default options.
/// </summary>
internal static class RuleGenerators
{
    private static readonly TradingCalendar Calendar = RuleWorld.Calendar;

    /// <summary>
    /// Where windows end up: around NYSE holidays (Good Friday, Juneteenth, Independence Day, Thanksgiving, Christmas and
    /// New Year on several weekdays), the unscheduled closure of 9 Jan 2025, the ETF launch and the DESIGN worked example.
    /// </summary>
    public static readonly DateOnly[] Anchors =
    [
        new(2025, 11, 3), new(2025, 4, 18), new(2024, 3, 29), new(2026, 4, 3), new(2025, 1, 9), new(2024, 11, 28),
        new(2025, 11, 27), new(2024, 12, 25), new(2025, 12, 25), new(2025, 1, 1), new(2026, 1, 1), new(2024, 6, 19),
        new(2025, 6, 19), new(2026, 6, 19), new(2024, 7, 4), new(2025, 7, 4), new(2026, 7, 3), new(2025, 1, 20),
        new(2025, 2, 17), new(2025, 9, 1), new(2024, 5, 27), RuleInputs.EtfLaunch,
    ];

    /// <summary>Daily totals exactly at and 0.1 either side of the default thresholds (0, 150, 200, 300, 750), and weekly-sum builders.</summary>
    public static readonly decimal[] ThresholdFlows =
    [
        0m, -0.1m, 0.1m, 200m, 199.9m, 200.1m, 750m, 749.9m, 750.1m, 150m, 149.9m, 150.1m, 300m, 299.9m, 300.1m,
        -200m, -250m, -333.4m, -500m, -1000m,
    ];

    /// <summary>
    /// The market a world is drawn from, so that every status is common: <see cref="Mood.Mixed"/> draws anything,
    /// <see cref="Mood.Inflows"/> leans to green sessions and Rebuild/Snapback-confirming derivatives,
    /// <see cref="Mood.Outflows"/> to red sessions, weak CoinShares weeks and Caution-confirming derivatives, and
    /// <see cref="Mood.Reversal"/> turns from outflows to inflows part-way (Stabilizing, Snapback's ledger flip).
    /// </summary>
    public enum Mood
    {
        Mixed,
        Inflows,
        Outflows,
        Reversal,
    }

    public static readonly Gen<Mood> Moods = Gen.Frequency((3, Gen.Const(Mood.Mixed)), (1, Gen.Const(Mood.Inflows)), (1, Gen.Const(Mood.Outflows)), (1, Gen.Const(Mood.Reversal)));

    /// <summary>The sessions of a window: a reversal is outflows up to a turning point, inflows after it.</summary>
    private static Gen<(decimal? Total, bool Provisional)[]> SlotsIn(Mood mood, int count) => mood == Mood.Reversal
        ? from turn in Gen.Int[1, count - 1]
          from before in SlotIn(Mood.Outflows).Array[turn]
          from after in SlotIn(Mood.Inflows).Array[count - turn]
          select before.Concat(after).ToArray()
        : SlotIn(mood).Array[count];

    /// <summary>Any daily total: at a threshold (±0.1) or anywhere in ±1,200.0.</summary>
    public static readonly Gen<decimal> Flow = Gen.Frequency(
        (3, Gen.OneOf(ThresholdFlows)),
        (2, Gen.Int[-12_000, 12_000].Select(tenths => tenths / 10m)));

    private static Gen<decimal> FlowIn(Mood mood) => mood switch
    {
        Mood.Inflows => Gen.Frequency((3, Gen.OneOf(200m, 200.1m, 750m, 750.1m, 300m, 150m)), (2, Gen.Int[1_500, 12_000].Select(t => t / 10m)), (1, Flow)),
        Mood.Outflows => Gen.Frequency((3, Gen.OneOf(-0.1m, -200m, -250m, -333.4m, -500m, -1000m)), (2, Gen.Int[-12_000, -1].Select(t => t / 10m)), (1, Flow)),
        _ => Flow,
    };

    /// <summary>A session: present (1 in 10 provisional) or, 1 in 15, missing (a data gap).</summary>
    private static Gen<(decimal? Total, bool Provisional)> SlotIn(Mood mood) => Gen.Frequency(
        (14, from total in FlowIn(mood) from provisional in Gen.Int[0, 9] select ((decimal?)total, provisional == 9)),
        (1, Gen.Const(((decimal?)null, false))));

    /// <summary>
    /// Consecutive expected sessions (5–25) of the NYSE calendar, starting up to 20 sessions before an anchor, never before
    /// the ETF launch. The properties evaluate the first and the latest seven (<see cref="RuleWorld.AsOfSessions"/>): the rest is history.
    /// </summary>
    public static readonly Gen<DateOnly[]> Window =
        from anchor in Gen.OneOf(Anchors)
        from back in Gen.Int[0, 20]
        from count in Gen.Int[5, 25]
        select ExpectedSessions(anchor, back, count);

    /// <summary>A whole world with every kind of input.</summary>
    public static readonly Gen<RuleWorld> World = WorldOn(Window);

    /// <summary>A world with only ETF sessions (no CoinShares weeks, no derivatives readings).</summary>
    public static readonly Gen<RuleWorld> FlowsOnlyWorld =
        from mood in Moods
        from dates in Window
        from slots in SlotsIn(mood, dates.Length)
        select new RuleWorld(Slots(dates, slots), [], []);

    /// <summary>Mostly the defaults; otherwise other valid values (stress thresholds, streak lengths, provisional handling).</summary>
    public static readonly Gen<RulesOptions> Options = Gen.Frequency(
        (2, Gen.Const(() => new RulesOptions())),
        (1, Gen.Bool.Select(provisional => new RulesOptions { TreatProvisionalAsUnknown = provisional })),
        (2, from rebuildMin in Gen.OneOf(200m, 0m, 100m, 199.9m, 350m)
            from rebuildStreak in Gen.Int[1, 5]
            from cautionMax in Gen.OneOf(0m, -0.1m, -100m, -250m)
            from cautionStreak in Gen.Int[1, 6]
            from snapbackMin in Gen.OneOf(750m, 0m, 300m, 749.9m)
            from stabilizingMin in Gen.OneOf(150m, 0m, -100m)
            from stabilizingWidth in Gen.OneOf(150m, 0m, 500m)
            from resetMax in Gen.OneOf(-1000m, 0m, -500m, -999.9m)
            from provisional in Gen.Bool
            from derivativesAge in Gen.Int[0, 3]
            select new RulesOptions
            {
                Rebuild = new RebuildRuleOptions { MinDailyFlowUsdM = rebuildMin, StreakSessions = rebuildStreak },
                Caution = new CautionRuleOptions { MaxDailyFlowUsdM = cautionMax, StreakSessions = cautionStreak },
                Snapback = new SnapbackRuleOptions { MinDailyFlowUsdM = snapbackMin },
                Stabilizing = new StabilizingRuleOptions { MinDailyFlowUsdM = stabilizingMin, MaxDailyFlowUsdM = stabilizingMin + stabilizingWidth },
                Reset = new ResetRuleOptions { MaxWeekUsdM = resetMax },
                Freshness = new FreshnessOptions { DerivativesMaxAgeSessions = derivativesAge },
                TreatProvisionalAsUnknown = provisional,
            }));

    public static Gen<RuleWorld> WorldOn(Gen<DateOnly[]> window) =>
        from mood in Moods
        from dates in window
        from slots in SlotsIn(mood, dates.Length)
        from weeks in WeekDrawIn(mood).Null(0.2).Array[Fridays(dates).Length]
        from readings in ReadingDrawIn(mood).Null(0.2).Array[dates.Length]
        select new RuleWorld(Slots(dates, slots), Weeks(Fridays(dates), weeks), Readings(dates, readings));

    public static DateOnly[] ExpectedSessions(DateOnly anchor, int back, int count)
    {
        var start = Calendar.IsSession(anchor) ? anchor : Calendar.NextSession(anchor);
        for (var i = 0; i < back && Calendar.PreviousSession(start) >= RuleInputs.EtfLaunch; i++) start = Calendar.PreviousSession(start);
        var dates = new DateOnly[count];
        dates[0] = start;
        for (var i = 1; i < count; i++) dates[i] = Calendar.NextSession(dates[i - 1]);
        return dates;
    }

    public static SessionSlot[] Slots(DateOnly[] dates, (decimal? Total, bool Provisional)[] slots) =>
        [.. dates.Select((d, i) => new SessionSlot(d, slots[i].Total, slots[i].Total is not null && slots[i].Provisional))];

    /// <summary>The week-ending Fridays from two weeks before the window through its last week.</summary>
    private static DateOnly[] Fridays(DateOnly[] dates)
    {
        var first = TradingCalendar.WeekStart(dates[0]).AddDays(-10);
        var last = TradingCalendar.WeekStart(dates[^1]).AddDays(4);
        var fridays = new List<DateOnly>();
        for (var f = first; f <= last; f = f.AddDays(7)) fridays.Add(f);
        return [.. fridays];
    }

    private sealed record WeekDrawn(decimal TotalUsdM, int? PublishedAfterDays);

    /// <summary>A CoinShares week: totals at and around −1,000 (the Caution threshold) or anywhere in ±3,000; usually published on the Monday after, sometimes late, early or undated.</summary>
    private static Gen<WeekDrawn> WeekDrawIn(Mood mood) =>
        from total in mood == Mood.Outflows
            ? Gen.Frequency((1, Gen.OneOf(-1000m, -1000.000001m, -999.999999m)), (2, Gen.Int[-30_000, -9_000].Select(t => t / 10m)))
            : Gen.Frequency((1, Gen.OneOf(-1000m, -1000.000001m, -999.999999m, 0m, 1000m)), (2, Gen.Int[-30_000, 30_000].Select(t => t / 10m)))
        from published in Gen.Frequency((6, Gen.Const<int?>(3)), (1, Gen.OneOf<int?>(null, 4, 0, 1, 10)))
        select new WeekDrawn(total, published);

    private static WeeklyFundFlow[] Weeks(DateOnly[] fridays, WeekDrawn?[] draws) =>
    [
        .. fridays.Select((friday, i) => draws[i] is { } w
            ? new WeeklyFundFlow
            {
                WeekEnding = friday,
                PublishedOn = w.PublishedAfterDays is { } days ? friday.AddDays(days) : null,
                TotalUsd = (long)(w.TotalUsdM * 1_000_000m),
                Source = "generated",
            }
            : null).OfType<WeeklyFundFlow>(),
    ];

    private sealed record ReadingDrawn(decimal? Basis, decimal? Funding, decimal? OffshoreOiChange, decimal? CmeChange, int CmeReportWeeksOld);

    private static Gen<decimal> Around(decimal[] thresholds, int minTenths, int maxTenths) =>
        Gen.Frequency((1, Gen.OneOf(thresholds)), (1, Gen.Int[minTenths, maxTenths].Select(t => t / 10m)));

    /// <summary>
    /// A derivatives reading: basis at and around 3/4/6/8/12 %, funding around 10/20 %, OI changes around 0, each field
    /// missing 1 in 8; in an inflow (outflow) market mostly on the confirming side of the Rebuild and Snapback (Caution) thresholds.
    /// </summary>
    private static Gen<ReadingDrawn> ReadingDrawIn(Mood mood) =>
        from basis in (mood switch
        {
            Mood.Inflows or Mood.Reversal => Around([8m, 8.1m, 12m, 12.1m], 80, 250),
            Mood.Outflows => Around([3m, 2.9m, 4m, 6m], -50, 30),
            _ => Around([3m, 2.9m, 3.1m, 4m, 3.9m, 6m, 6.1m, 8m, 7.9m, 8.1m, 12m, 11.9m, 12.1m], -50, 250),
        }).Nullable(0.125)
        from funding in (mood == Mood.Inflows ? Around([10m, 9.9m, 0m], -50, 100) : Around([10m, 9.9m, 10.1m, 20m, 19.9m, 20.1m], -100, 400)).Nullable(0.125)
        from oi in (mood switch
        {
            Mood.Inflows or Mood.Reversal => Around([0.1m], 1, 100),
            Mood.Outflows => Around([-0.1m], -100, -1),
            _ => Around([0m, -0.1m, 0.1m], -100, 100),
        }).Nullable(0.125)
        from cme in (mood == Mood.Inflows ? Around([1m], 1, 50_000) : Around([0m, -1m, 1m], -50_000, 50_000)).Nullable(0.125)
        from weeksOld in Gen.Frequency((4, Gen.Const(0)), (1, Gen.Int[1, 2]))
        select new ReadingDrawn(basis, funding, oi, cme, weeksOld);

    private static DerivativesDaily[] Readings(DateOnly[] dates, ReadingDrawn?[] draws) =>
    [
        .. dates.Select((d, i) => draws[i] is { } r
            ? new DerivativesDaily
            {
                Session = d,
                AsOfUtc = NewYorkTime.CloseUtc(d),
                Basis3mAnnualizedPct = r.Basis,
                FundingAnnualizedPct = r.Funding,
                OffshoreOpenInterestChange5SessionsPct = r.OffshoreOiChange,
                CmeOpenInterestChangeBtc = r.CmeChange,
                CmeReportDate = r.CmeChange is null ? null : CotTuesday(d).AddDays(-7 * r.CmeReportWeeksOld),
                Venues = ["generated"],
            }
            : null).OfType<DerivativesDaily>(),
    ];

    /// <summary>The as-of Tuesday of the latest CFTC report out by <paramref name="session"/> (published the Friday after).</summary>
    private static DateOnly CotTuesday(DateOnly session)
    {
        var d = session.AddDays(-3);
        while (d.DayOfWeek != DayOfWeek.Tuesday) d = d.AddDays(-1);
        return d;
    }
}
