using Tapewatch.Core.Domain;
using Tapewatch.Core.Flows;
using Tapewatch.Infrastructure.Flows;
using Tapewatch.Core.Time;

namespace Tapewatch.Tests.Flows;

public sealed class EtfSessionPlannerTests
{
    private static readonly DateOnly Apr9 = new(2026, 4, 9);
    private static readonly DateOnly Apr10 = new(2026, 4, 10);

    // Friday 10 Apr 2026, 22:00 UTC: after the close, before the cut-off (Sat 11 Apr 14:00 UTC).
    private static readonly DateTimeOffset FridayEvening = new(2026, 4, 10, 22, 0, 0, TimeSpan.Zero);

    private static EtfFlowRow Row(DateOnly date, decimal? ibit, decimal? msbt, decimal? total) =>
        new(date, new Dictionary<string, decimal?> { ["IBIT"] = ibit, ["MSBT"] = msbt }, total);

    private static EtfSession Stored(DateOnly date, decimal? ibit, decimal? msbt, decimal total, SessionStatus status, int revision = 0, string source = "farside") => new()
    {
        Date = date,
        Funds = new Dictionary<string, decimal?> { ["IBIT"] = ibit, ["MSBT"] = msbt },
        TotalUsdM = total,
        Status = status,
        Source = source,
        FirstSeenUtc = FridayEvening.AddDays(-1),
        LastChangedUtc = FridayEvening.AddDays(-1),
        Revision = revision,
    };

    private static EtfSessionPlan Plan(IReadOnlyList<EtfFlowRow> rows, IReadOnlyDictionary<DateOnly, EtfSession> stored, DateTimeOffset now, bool totalsOnly = false, string source = "farside") =>
        EtfSessionPlanner.Plan(rows, totalsOnly, source, stored, SessionStatusPolicy.Default, now, TradingCalendar.Default);

    [Fact]
    public void Late_fund_keeps_the_session_provisional_until_the_cutoff()
    {
        var rows = new[] { Row(Apr9, 269.3m, 14.9m, 284.2m), Row(Apr10, 240.4m, null, 240.4m) };
        var before = Plan(rows, new Dictionary<DateOnly, EtfSession>(), FridayEvening);
        Assert.Equal(SessionStatus.Provisional, before.Sessions[1].Session.Status);
        Assert.Equal(["MSBT"], before.Sessions[1].LateFunds);

        var cutoff = new DateTimeOffset(2026, 4, 11, 14, 0, 0, TimeSpan.Zero);
        Assert.Equal(cutoff, SessionStatusPolicy.Default.CutoffUtc(Apr10));
        Assert.Equal(SessionStatus.Provisional, Plan(rows, new Dictionary<DateOnly, EtfSession>(), cutoff.AddTicks(-1)).Sessions[1].Session.Status);
        Assert.Equal(SessionStatus.Final, Plan(rows, new Dictionary<DateOnly, EtfSession>(), cutoff).Sessions[1].Session.Status);
    }

    [Fact]
    public void Late_fund_filled_in_updates_values_bumps_revision_and_logs_each_change()
    {
        var stored = new Dictionary<DateOnly, EtfSession> { [Apr10] = Stored(Apr10, 240.4m, null, 240.4m, SessionStatus.Provisional, source: "file:v1.csv") };
        var plan = Plan([Row(Apr10, 240.4m, 16.3m, 256.7m)], stored, FridayEvening.AddHours(3), source: "farside");

        var s = Assert.Single(plan.Sessions);
        Assert.Equal(SessionChangeKind.Updated, s.Kind);
        Assert.Equal(1, s.Session.Revision);
        Assert.Equal(256.7m, s.Session.TotalUsdM);
        Assert.Equal(SessionStatus.Final, s.Session.Status);
        Assert.Equal("farside", s.Session.Source);
        Assert.Equal(stored[Apr10].FirstSeenUtc, s.Session.FirstSeenUtc);
        Assert.Equal(FridayEvening.AddHours(3), s.Session.LastChangedUtc);
        Assert.Collection(
            s.Revisions.OrderBy(r => r.Field, StringComparer.Ordinal),
            r =>
            {
                Assert.Equal("MSBT", r.Field);
                Assert.Null(r.OldUsdM);
                Assert.Equal(16.3m, r.NewUsdM);
                Assert.Equal("farside", r.Source);
                Assert.Equal("file:v1.csv", r.PreviousSource);
                Assert.Equal(1, r.Revision);
            },
            r =>
            {
                Assert.Equal("Total", r.Field);
                Assert.Equal(240.4m, r.OldUsdM);
                Assert.Equal(256.7m, r.NewUsdM);
            });
        Assert.Equal(Apr10, plan.ChangedFrom);
    }

    [Fact]
    public void Same_values_again_change_nothing()
    {
        var stored = new Dictionary<DateOnly, EtfSession> { [Apr10] = Stored(Apr10, 240.4m, 16.3m, 256.7m, SessionStatus.Final, revision: 1) };
        var plan = Plan([Row(Apr10, 240.4m, 16.3m, 256.7m)], stored, FridayEvening.AddDays(3));
        Assert.Equal(SessionChangeKind.Unchanged, Assert.Single(plan.Sessions).Kind);
        Assert.Null(plan.ChangedFrom);
        Assert.Same(stored[Apr10], plan.Sessions[0].Session);
    }

    [Fact]
    public void A_dash_never_erases_a_stored_number()
    {
        var stored = new Dictionary<DateOnly, EtfSession> { [Apr10] = Stored(Apr10, 240.4m, 16.3m, 256.7m, SessionStatus.Final, revision: 1) };
        var plan = Plan([Row(Apr10, 240.4m, null, 256.7m)], stored, FridayEvening.AddDays(3));
        Assert.Equal(SessionChangeKind.Unchanged, plan.Sessions[0].Kind);
        Assert.Equal(16.3m, plan.Sessions[0].Session.Funds["MSBT"]);
    }

    [Fact]
    public void Status_only_change_updates_without_a_revision()
    {
        var stored = new Dictionary<DateOnly, EtfSession>
        {
            [Apr9] = Stored(Apr9, 269.3m, 14.9m, 284.2m, SessionStatus.Final),
            [Apr10] = Stored(Apr10, 240.4m, null, 240.4m, SessionStatus.Provisional),
        };
        var plan = Plan([Row(Apr10, 240.4m, null, 240.4m)], stored, new DateTimeOffset(2026, 4, 11, 14, 30, 0, TimeSpan.Zero));
        var s = Assert.Single(plan.Sessions);
        Assert.Equal(SessionChangeKind.Updated, s.Kind);
        Assert.Equal(SessionStatus.Final, s.Session.Status);
        Assert.Equal(0, s.Session.Revision);
        Assert.Empty(s.Revisions);
        Assert.Equal(["MSBT"], s.LateFunds); // late per the stored history, final by the cut-off
    }

    [Fact]
    public void Totals_only_rows_are_provisional_until_the_cutoff_and_keep_a_stored_split()
    {
        var fresh = Plan([new EtfFlowRow(Apr10, new Dictionary<string, decimal?>(), 256.71m)], new Dictionary<DateOnly, EtfSession>(), FridayEvening, totalsOnly: true, source: "sosovalue");
        Assert.Equal(SessionStatus.Provisional, fresh.Sessions[0].Session.Status);
        Assert.Empty(fresh.Sessions[0].Session.Funds);

        var stored = new Dictionary<DateOnly, EtfSession> { [Apr10] = Stored(Apr10, 240.4m, 16.3m, 256.7m, SessionStatus.Final, revision: 1) };
        var within = Plan([new EtfFlowRow(Apr10, new Dictionary<string, decimal?>(), 256.74m)], stored, FridayEvening, totalsOnly: true, source: "sosovalue");
        Assert.Equal(SessionChangeKind.Unchanged, within.Sessions[0].Kind); // Farside rounds to 0.1m

        var revised = Plan([new EtfFlowRow(Apr10, new Dictionary<string, decimal?>(), 260.0m)], stored, FridayEvening, totalsOnly: true, source: "sosovalue");
        var s = revised.Sessions[0];
        Assert.Equal(SessionChangeKind.Updated, s.Kind);
        Assert.Equal(260.0m, s.Session.TotalUsdM);
        Assert.Equal(16.3m, s.Session.Funds["MSBT"]);
        Assert.Equal(SessionStatus.Final, s.Session.Status); // never back to Provisional
        Assert.Equal("Total", Assert.Single(s.Revisions).Field);
    }

    [Fact]
    public void Rows_where_every_fund_is_dash_are_not_sessions()
    {
        var plan = Plan([Row(Apr10, null, null, 0.0m)], new Dictionary<DateOnly, EtfSession>(), FridayEvening);
        Assert.Empty(plan.Sessions);
        Assert.Equal([Apr10], plan.NotSessions);
    }

    [Fact]
    public void Data_on_a_closed_day_is_kept_with_a_warning()
    {
        var goodFriday = new DateOnly(2026, 4, 3);
        var plan = Plan([Row(goodFriday, 1m, 1m, 2m)], new Dictionary<DateOnly, EtfSession>(), FridayEvening);
        Assert.Single(plan.Sessions);
        Assert.Contains(plan.Warnings, w => w.Contains("2026-04-03", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_total_is_the_sum_of_the_funds()
    {
        var plan = Plan([Row(Apr10, 240.4m, 16.3m, null)], new Dictionary<DateOnly, EtfSession>(), FridayEvening);
        Assert.Equal(256.7m, plan.Sessions[0].Session.TotalUsdM);
    }
}
