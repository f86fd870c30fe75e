using Tapewatch.Core.Derivatives;
using Tapewatch.Infrastructure.Derivatives;
using Tapewatch.Core.Domain;

namespace Tapewatch.Tests.Derivatives;

public sealed class DerivativesCompositeTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 13, 21, 30, 0, TimeSpan.Zero);

    private static VenueOutcome Ok(string venue, decimal? funding, decimal? oiBtc, decimal? basis = null, DateTimeOffset? at = null, IReadOnlyList<OpenInterestPoint>? history = null) => new()
    {
        Venue = venue,
        Status = VenueStatus.Ok,
        Reading = new VenueReading
        {
            Venue = venue,
            AsOfUtc = at ?? Now,
            FundingRate8h = funding,
            FundingTimeUtc = Now.AddHours(-5),
            FundingIntervalHours = 8,
            OpenInterestBtc = oiBtc,
            IndexPriceUsd = 100_000m,
            Basis3mAnnualizedPct = basis,
            OpenInterestHistory = history ?? [],
        },
    };

    [Fact]
    public void Failed_and_stale_venues_are_left_out_and_named()
    {
        var outcomes = new[]
        {
            Ok("a", 0.0001m, 100m, 10m),
            Ok("b", 0.0003m, 300m, 6m),
            Ok("c", 0.01m, 1_000m, 50m, at: Now.AddHours(-5)),
            new VenueOutcome { Venue = "d", Status = VenueStatus.Blocked, Reason = "HTTP 451" },
        };
        var r = DerivativesComposite.Build(outcomes, Now, new DerivativesOptions());
        Assert.Equal(0.00025m, r.FundingRate8h);       // (1e-4×100 + 3e-4×300)/400
        Assert.Equal(27.375m, r.FundingAnnualizedPct); // × 3 × 365 × 100
        Assert.Equal(8m, r.Basis3mAnnualizedPct);
        Assert.Equal(400m, r.OffshoreOpenInterestBtc);
        Assert.Equal(40_000_000m, r.OffshoreOpenInterestUsd);
        Assert.Equal(["a", "b"], r.OpenInterestVenues);
        Assert.Equal(VenueStatus.Stale, r.Venues.Single(v => v.Venue == "c").Status);
        Assert.Contains(r.Notes, n => n.StartsWith("c: left out", StringComparison.Ordinal));
        Assert.Contains(r.Notes, n => n.Contains("d: left out: Blocked: HTTP 451", StringComparison.Ordinal));
    }

    [Fact]
    public void Funding_older_than_its_interval_is_left_out()
    {
        var stale = Ok("a", 0.001m, 100m);
        stale = stale with { Reading = stale.Reading! with { FundingTimeUtc = Now.AddHours(-10) } };
        var r = DerivativesComposite.Build([stale, Ok("b", 0.0001m, 100m)], Now, new DerivativesOptions());
        Assert.Equal(0.0001m, r.FundingRate8h);
        Assert.Equal(["b"], r.FundingVenues);
    }

    [Fact]
    public void Five_session_change_compares_the_same_venues_at_both_ends()
    {
        var reference = Now.AddDays(-7);
        var outcomes = new[]
        {
            Ok("a", null, 110m, history: [new OpenInterestPoint(reference.AddMinutes(10), 100m)]),
            Ok("b", null, 50m), // new venue (or one without history): not counted as a rebuild
            Ok("c", null, 190m),
        };
        var stored = new Dictionary<string, OpenInterestPoint> { ["c"] = new(reference, 200m) };
        var r = DerivativesComposite.Build(outcomes, Now, new DerivativesOptions(), reference, stored);
        Assert.NotNull(r.OpenInterestChange5Sessions);
        Assert.Equal(0m, r.OpenInterestChange5Sessions.ChangePct); // (110 + 190) / (100 + 200) − 1
        Assert.Equal(["a", "c"], r.OpenInterestChange5Sessions.Venues);
        Assert.Contains(r.Notes, n => n.StartsWith("b: no open interest near", StringComparison.Ordinal));
    }

    [Fact]
    public void A_venue_dropping_out_today_is_not_a_bleed()
    {
        var reference = Now.AddDays(-7);
        // "b" failed today: only "a" is compared, which grew.
        var outcomes = new[]
        {
            Ok("a", null, 105m, history: [new OpenInterestPoint(reference, 100m)]),
            new VenueOutcome { Venue = "b", Status = VenueStatus.Failed, Reason = "HTTP 500" },
        };
        var stored = new Dictionary<string, OpenInterestPoint> { ["b"] = new(reference, 900m) };
        var r = DerivativesComposite.Build(outcomes, Now, new DerivativesOptions(), reference, stored);
        Assert.Equal(5m, r.OpenInterestChange5Sessions!.ChangePct);
    }

    [Fact]
    public void Merge_keeps_the_close_snapshot_and_fills_only_what_it_lacks()
    {
        var session = new DateOnly(2026, 1, 13);
        var first = new DerivativesDaily { Session = session, AsOfUtc = Now, Basis3mAnnualizedPct = 8m, FundingAnnualizedPct = 5m, Venues = ["a"] };
        var later = new DerivativesDaily { Session = session, AsOfUtc = Now.AddHours(1), Basis3mAnnualizedPct = 9m, FundingAnnualizedPct = 6m, CmeOpenInterestBtc = 123_000m, BtcCloseUsd = 95_000m, Venues = ["a", "b"] };
        var merged = DerivativesIngestion.Merge(first, later);
        Assert.Equal(8m, merged.Basis3mAnnualizedPct);
        Assert.Equal(Now, merged.AsOfUtc);
        Assert.Equal(123_000m, merged.CmeOpenInterestBtc);
        Assert.Equal(95_000m, merged.BtcCloseUsd);
        Assert.False(Tapewatch.Infrastructure.Derivatives.DerivativesDailyStore.SameValues(first, merged));
        Assert.True(Tapewatch.Infrastructure.Derivatives.DerivativesDailyStore.SameValues(merged, DerivativesIngestion.Merge(merged, later)));
    }

    [Fact]
    public void Btc_close_windows_cover_the_closing_hour_in_est_and_edt()
    {
        var candles = new[]
        {
            new BtcCloses.Candle(new DateTimeOffset(2026, 1, 13, 20, 0, 0, TimeSpan.Zero), 95_123.45m), // 15:00–16:00 EST
            new BtcCloses.Candle(new DateTimeOffset(2026, 7, 14, 19, 0, 0, TimeSpan.Zero), 110_000m),   // 15:00–16:00 EDT
            new BtcCloses.Candle(new DateTimeOffset(2026, 7, 14, 20, 0, 0, TimeSpan.Zero), 111_000m),
        };
        var closes = BtcCloses.ClosesOf([new DateOnly(2026, 1, 13), new DateOnly(2026, 7, 14), new DateOnly(2026, 7, 15)], candles, "test");
        Assert.Equal([95_123.45m, 110_000m], closes.Select(c => c.CloseUsd).ToArray());

        var sessions = Enumerable.Range(0, 40).Select(i => new DateOnly(2026, 1, 2).AddDays(i)).ToList();
        var windows = BtcCloses.Windows(sessions).ToList();
        Assert.True(windows.Count >= 2);
        Assert.All(windows, w => Assert.True((w.End - w.Start).TotalHours <= BtcCloses.MaxCandlesPerRequest));
    }
}
