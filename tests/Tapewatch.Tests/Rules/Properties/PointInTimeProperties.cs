using CsCheck;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Evaluation;
using Xunit.Abstractions;
using static Tapewatch.Tests.Rules.Properties.EvaluationFacts;

namespace Tapewatch.Tests.Rules.Properties;

/// <summary>No look-ahead: an evaluation as of a session depends only on what was known at its close; revisions act forwards only.</summary>
public sealed class PointInTimeProperties(ITestOutputHelper output)
{
    /// <summary>
    /// Row k of the backtest over the full history = the evaluation of session k from the sessions and readings up to k
    /// and the CoinShares weeks published by k — the whole evaluation, evidence included, for every expected session.
    /// </summary>
    [Fact]
    public void Each_evaluation_equals_the_one_made_with_only_the_data_known_that_day() => PropertyRun.Check(output, WorldCase.Any, c =>
    {
        var engine = c.Engine();
        var inputs = c.World.Inputs();
        var latest = c.World.Slots[Math.Max(0, c.World.Slots.Count - RuleWorld.EvaluatedLatestSessions)].Date;
        var rows = Backtest.Run(engine, inputs, from: latest).Sessions.ToDictionary(r => r.Date);
        foreach (var asOf in c.World.AsOfSessions)
        {
            var pointInTime = engine.Evaluate(c.World.KnownBy(asOf).Inputs(), asOf);
            var full = engine.Evaluate(inputs, asOf);
            Expect(full.Fingerprint() == pointInTime.Fingerprint(), $"as of {RuleWorld.Iso(asOf)}: later data changed the evaluation\nwith everything:   {full.Fingerprint()}\nknown that day:    {pointInTime.Fingerprint()}");
            if (rows.TryGetValue(asOf, out var row))
            {
                Expect(Row(row) == RowOf(pointInTime), $"backtest row {RuleWorld.Iso(asOf)} is {Row(row)}, the point-in-time evaluation {RowOf(pointInTime)}");
            }
        }

        Expect(rows.Keys.Order().SequenceEqual(c.World.PresentSessions.Where(d => d >= latest)), "the backtest does not have exactly one row per stored session");
    }, c => c.ToString(), cases: PropertyRun.PairedCases);

    /// <summary>Adding later sessions (and later weeks and readings) never changes an earlier backtest row.</summary>
    [Fact]
    public void Later_sessions_never_change_earlier_backtest_rows() => PropertyRun.Check(output,
        from c in WorldCase.Any from cut in Gen.Int[0, 40] select (Case: c, Cut: cut),
        x =>
        {
            var cut = x.Case.World.Slots[Math.Min(x.Cut, x.Case.World.Slots.Count - 1)].Date;
            var engine = x.Case.Engine();
            var early = Backtest.Run(engine, x.Case.World.KnownBy(cut).Inputs()).Sessions.Select(Row).ToList();
            var later = Backtest.Run(engine, x.Case.World.Inputs(), to: cut).Sessions.Select(Row).ToList();
            Expect(early.SequenceEqual(later), $"rows to {RuleWorld.Iso(cut)} changed when later data arrived:\n{string.Join("\n", early)}\n--- vs ---\n{string.Join("\n", later)}");
        },
        x => $"cut after slot #{x.Cut}\n{x.Case}", cases: PropertyRun.PairedCases);

    /// <summary>Revising one session's total changes nothing before that session (evaluations of every earlier expected session are identical).</summary>
    [Fact]
    public void Revising_a_session_changes_nothing_before_it() => PropertyRun.Check(output,
        from c in WorldCase.Any from pick in Gen.Int[0, 1000] from total in RuleGenerators.Flow select (Case: c, Pick: pick, Total: total),
        x =>
        {
            var present = x.Case.World.PresentSessions.ToList();
            if (present.Count == 0) return;
            var revised = present[x.Pick % present.Count];
            var engine = x.Case.Engine();
            var (original, revision) = (x.Case.World.Inputs(), x.Case.World.WithRevisedTotal(revised, x.Total).Inputs());
            foreach (var asOf in x.Case.World.AsOfSessions.Where(d => d < revised))
            {
                Expect(engine.Evaluate(original, asOf).Fingerprint() == engine.Evaluate(revision, asOf).Fingerprint(),
                    $"revising {RuleWorld.Iso(revised)} to {x.Total} changed the evaluation as of {RuleWorld.Iso(asOf)}");
            }

            var before = Backtest.Run(engine, original, to: revised.AddDays(-1)).Sessions.Select(Row);
            var after = Backtest.Run(engine, revision, to: revised.AddDays(-1)).Sessions.Select(Row);
            Expect(before.SequenceEqual(after), $"revising {RuleWorld.Iso(revised)} changed an earlier backtest row");
        },
        x => $"revise present session #{x.Pick} to {x.Total}\n{x.Case}", cases: PropertyRun.PairedCases);

    /// <summary>
    /// Each condition reads inputs dated on or before the as-of session: the CoinShares week is the latest one published by
    /// then (never one published later), the derivatives reading the latest on or before it; Reset's completed weeks have
    /// all their sessions in (the label may be a holiday Friday after the session).
    /// </summary>
    [Fact]
    public void Weekly_and_derivatives_conditions_use_only_what_was_published_by_the_session() => PropertyRun.Check(output, WorldCase.Any, c =>
    {
        foreach (var (asOf, e) in c.EvaluateEach())
        {
            var at = $"as of {RuleWorld.Iso(asOf)}";
            foreach (var condition in e.AllConditions().Where(x => x.AsOf is not null))
            {
                var fine = condition.AsOf <= asOf
                    || (condition.Id == ResetId && !RuleWorld.Calendar.Sessions(asOf.AddDays(1), condition.AsOf!.Value).Any());
                Expect(fine, $"{at}: {condition.Id} reads {condition.AsOf}, after the as-of session");
            }

            var coinShares = e.ConditionNamed("caution.confirm.coinshares");
            if (coinShares.Met is not null)
            {
                var expected = UnknownInputProperties.UsableWeek(c, asOf);
                Expect(expected is not null && coinShares.AsOf == expected.WeekEnding,
                    $"{at}: the CoinShares condition reads the week to {coinShares.AsOf}, the latest week published by then is {expected?.WeekEnding}");
            }

            var latestReading = c.World.Readings.Where(r => r.Session <= asOf).MaxBy(r => r.Session);
            foreach (var condition in e.AllConditions().Where(x => x.Dataset == Tapewatch.Core.Rules.Datasets.Derivatives && x.Met is not null && x.Id != "rebuild.confirm.oi-cme"))
            {
                Expect(condition.AsOf == latestReading?.Session, $"{at}: {condition.Id} reads the reading of {condition.AsOf}, the latest is {latestReading?.Session}");
            }
        }
    }, c => c.ToString());

    private static string Row(BacktestSession r) =>
        $"{RuleWorld.Iso(r.Date)} {r.Total} {r.Regime} {string.Join(",", r.Scenarios.OrderBy(s => s.Key).Select(s => $"{s.Key}={s.Value}"))}{(r.Provisional ? " provisional" : "")}";

    private static string RowOf(RegimeEvaluation e) =>
        Row(new BacktestSession
        {
            Date = e.AsOfSession,
            Total = e.SessionTotalUsdM ?? 0,
            Regime = e.Regime,
            Scenarios = e.Scenarios.ToDictionary(s => Backtest.Key(s.Scenario), s => s.Status),
            Provisional = e.Provisional,
        });
}
