using System.Globalization;
using System.Text;
using Tapewatch.Core.Domain;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Core.Time;

namespace Tapewatch.Tests.Rules.Properties;

/// <summary>One expected NYSE session of a generated world: its total (null = missing, a data gap) and whether it is provisional.</summary>
internal sealed record SessionSlot(DateOnly Date, decimal? Total, bool Provisional)
{
    public bool Present => Total is not null;
}

/// <summary>
/// A generated stretch of history: every expected session of a window of the real NYSE calendar (present or missing),
/// CoinShares weeks with their publication dates and derivatives readings. The sessions were loaded from the first
/// expected session on (<see cref="CoverageStart"/>), so anything earlier is unknown — unless that is the ETF launch.
/// </summary>
internal sealed record RuleWorld(IReadOnlyList<SessionSlot> Slots, IReadOnlyList<WeeklyFundFlow> Weeks, IReadOnlyList<DerivativesDaily> Readings)
{
    public static readonly TradingCalendar Calendar = TradingCalendar.Default;

    public DateOnly CoverageStart => Slots[0].Date;

    public IEnumerable<DateOnly> ExpectedSessions => Slots.Select(s => s.Date);

    /// <summary>How many of the latest sessions the properties evaluate (with the first); the rest of the window is history.</summary>
    public const int EvaluatedLatestSessions = 7;

    /// <summary>The sessions the properties evaluate: the first (the edge of the loaded data) and the latest seven; the rest is history.</summary>
    public IEnumerable<DateOnly> AsOfSessions => Slots.Where((_, i) => IsAsOfSession(i)).Select(s => s.Date);

    public bool IsAsOfSession(int index) => index == 0 || index >= Slots.Count - EvaluatedLatestSessions;

    public IEnumerable<DateOnly> PresentSessions => Slots.Where(s => s.Present).Select(s => s.Date);

    public IEnumerable<EtfSession> Sessions => Slots.Where(s => s.Present).Select(ToSession);

    public RuleInputs Inputs() => new(Sessions, Weeks, Readings, CoverageStart);

    /// <summary>The date a CoinShares week becomes usable (the engine's rule: its publication, else the Monday after).</summary>
    public static DateOnly UsableFrom(WeeklyFundFlow week) => week.PublishedOn ?? week.WeekEnding.AddDays(3);

    /// <summary>What was known at the close of <paramref name="asOf"/>: sessions and readings up to it, weeks published by it.</summary>
    public RuleWorld KnownBy(DateOnly asOf) => this with
    {
        Slots = [.. Slots.Where(s => s.Date <= asOf)],
        Weeks = [.. Weeks.Where(w => UsableFrom(w) <= asOf)],
        Readings = [.. Readings.Where(r => r.Session <= asOf)],
    };

    public RuleWorld WithoutSession(DateOnly date) => this with { Slots = [.. Slots.Select(s => s.Date == date ? s with { Total = null, Provisional = false } : s)] };

    public RuleWorld WithRevisedTotal(DateOnly date, decimal total) => this with { Slots = [.. Slots.Select(s => s.Date == date ? s with { Total = total } : s)] };

    public RuleWorld WithoutProvisionalSessions() => this with { Slots = [.. Slots.Select(s => s.Provisional ? s with { Total = null, Provisional = false } : s)] };

    public RuleWorld WithoutWeek(DateOnly weekEnding) => this with { Weeks = [.. Weeks.Where(w => w.WeekEnding != weekEnding)] };

    public RuleWorld WithReading(DateOnly session, Func<DerivativesDaily, DerivativesDaily> change) =>
        this with { Readings = [.. Readings.Select(r => r.Session == session ? change(r) : r)] };

    public static EtfSession ToSession(SessionSlot slot) => new()
    {
        Date = slot.Date,
        Funds = slot.Provisional
            ? new Dictionary<string, decimal?> { ["IBIT"] = slot.Total, ["FBTC"] = null }
            : new Dictionary<string, decimal?> { ["IBIT"] = slot.Total },
        TotalUsdM = slot.Total ?? throw new InvalidOperationException($"{slot.Date} is missing"),
        Status = slot.Provisional ? SessionStatus.Provisional : SessionStatus.Final,
        Source = "generated",
    };

    /// <summary>A compact, readable description (what a failing property prints).</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"sessions (coverage from {Iso(CoverageStart)}):");
        foreach (var s in Slots)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  {Iso(s.Date)} {s.Date.DayOfWeek.ToString()[..3]} ");
            text.Append(s.Total is { } t ? t.ToString("+0.0##;-0.0##", CultureInfo.InvariantCulture) + (s.Provisional ? " provisional" : "") : "MISSING");
        }

        foreach (var w in Weeks)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  CoinShares week to {Iso(w.WeekEnding)}: {w.TotalUsd / 1_000_000m:0.######}m, published {(w.PublishedOn is { } p ? Iso(p) : "(unknown)")}");
        }

        foreach (var r in Readings)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  derivatives {Iso(r.Session)}: basis {r.Basis3mAnnualizedPct?.ToString(CultureInfo.InvariantCulture) ?? "-"}, funding {r.FundingAnnualizedPct?.ToString(CultureInfo.InvariantCulture) ?? "-"}, "
                + $"OI 5d {r.OffshoreOpenInterestChange5SessionsPct?.ToString(CultureInfo.InvariantCulture) ?? "-"}%, CME {r.CmeOpenInterestChangeBtc?.ToString(CultureInfo.InvariantCulture) ?? "-"} (COT {(r.CmeReportDate is { } c ? Iso(c) : "-")})");
        }

        return text.ToString();
    }

    public static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
