using System.Globalization;
using Tapewatch.Core.Domain;
using static Tapewatch.Core.Rules.RuleFormat;

namespace Tapewatch.Core.Rules;

/// <summary>Conditions on the derivatives state (3m basis, funding, open interest): one function per condition.</summary>
public static class DerivativesConditions
{
    private const string Dataset = Datasets.Derivatives;

    /// <summary>Rebuild confirmation: 3m annualised basis ≥ MinBasisPct (default 8 %).</summary>
    public static ConditionResult RebuildBasisLevel(RuleContext ctx)
    {
        var min = ctx.Options.Rebuild.MinBasisPct;
        return Level(ctx, "rebuild.confirm.basis", $"3m basis \u2265 {Pct(min)}", $"\u2265 {Pct(min)}", d => d.Basis3mAnnualizedPct, "3m basis", v => v >= min, Pct);
    }

    /// <summary>Rebuild confirmation: 3m basis rising over the streak (above its reading at the close before the streak window).</summary>
    public static ConditionResult RebuildBasisRising(RuleContext ctx)
    {
        var n = ctx.Options.Rebuild.StreakSessions;
        return Change(ctx, "rebuild.confirm.basis-rising", $"3m basis rising over the last {n} sessions", "rising", d => d.Basis3mAnnualizedPct, "3m basis", n, rising: true);
    }

    /// <summary>Rebuild confirmation: offshore open interest 5-session change &gt; 0.</summary>
    public static ConditionResult RebuildOffshoreOi(RuleContext ctx) =>
        Level(ctx, "rebuild.confirm.oi-offshore", "Offshore OI rebuilding (5-session change > 0)", "> 0%", d => d.OffshoreOpenInterestChange5SessionsPct, "offshore OI change", v => v > 0, SignedPct);

    /// <summary>Rebuild confirmation: CME open interest change between the latest two CFTC reports &gt; 0.</summary>
    public static ConditionResult RebuildCmeOi(RuleContext ctx)
    {
        const string id = "rebuild.confirm.oi-cme";
        const string text = "CME OI rebuilding (latest COT change > 0)";
        const string threshold = "> 0 BTC";
        if (ctx.Reading is not { } r) return ConditionFactory.Unknown(id, text, threshold, Dataset, ctx.ReadingStaleReason!);
        if (r.CmeOpenInterestChangeBtc is not { } change || r.CmeReportDate is not { } reported)
        {
            return ConditionFactory.Unknown(id, text, threshold, Dataset, $"CME OI change not in the {DateIso(r.Session)} reading", asOf: r.Session);
        }

        var age = ctx.AsOf.DayNumber - reported.DayNumber;
        if (age > ctx.Options.Freshness.CmeReportMaxAgeDays)
        {
            return ConditionFactory.Unknown(id, text, threshold, Dataset,
                $"CFTC report of {DateIso(reported)} is {age} days old (limit {ctx.Options.Freshness.CmeReportMaxAgeDays})", asOf: reported);
        }

        return new ConditionResult
        {
            Id = id,
            Text = text,
            Threshold = threshold,
            ObservedValue = change,
            Observed = $"{Btc(change)} (COT {Date(reported)})",
            Met = change > 0,
            AsOf = reported,
            Dataset = Dataset,
            Source = "cftc",
        };
    }

    /// <summary>Rebuild confirmation: funding subdued (annualised ≤ MaxFundingPct, default 10 %).</summary>
    public static ConditionResult RebuildFunding(RuleContext ctx)
    {
        var max = ctx.Options.Rebuild.MaxFundingPct;
        return Level(ctx, "rebuild.confirm.funding", $"Funding subdued (annualised \u2264 {Pct(max)})", $"\u2264 {Pct(max)}", d => d.FundingAnnualizedPct, "funding", v => v <= max, Pct);
    }

    /// <summary>Caution confirmation: 3m basis ≤ MaxBasisPct (default 3 %).</summary>
    public static ConditionResult CautionBasis(RuleContext ctx)
    {
        var max = ctx.Options.Caution.MaxBasisPct;
        return Level(ctx, "caution.confirm.basis", $"3m basis \u2264 {Pct(max)}", $"\u2264 {Pct(max)}", d => d.Basis3mAnnualizedPct, "3m basis", v => v <= max, Pct);
    }

    /// <summary>Caution confirmation: offshore open interest bleeding (5-session change &lt; 0).</summary>
    public static ConditionResult CautionOffshoreOi(RuleContext ctx) =>
        Level(ctx, "caution.confirm.oi-offshore", "Offshore OI bleeding (5-session change < 0)", "< 0%", d => d.OffshoreOpenInterestChange5SessionsPct, "offshore OI change", v => v < 0, SignedPct);

    /// <summary>Snapback confirmation: 3m basis ≥ MinBasisPct (default 12 %).</summary>
    public static ConditionResult SnapbackBasis(RuleContext ctx)
    {
        var min = ctx.Options.Snapback.MinBasisPct;
        return Level(ctx, "snapback.confirm.basis", $"3m basis \u2265 {Pct(min)}", $"\u2265 {Pct(min)}", d => d.Basis3mAnnualizedPct, "3m basis", v => v >= min, Pct);
    }

    /// <summary>Snapback risk flag: funding ≥ RiskFundingPct (default 20 %) = late-cycle leverage.</summary>
    public static ConditionResult SnapbackFundingRisk(RuleContext ctx)
    {
        var min = ctx.Options.Snapback.RiskFundingPct;
        return Level(ctx, "snapback.risk.funding", $"Risk: funding \u2265 {Pct(min)} annualised (late-cycle leverage)", $"\u2265 {Pct(min)}", d => d.FundingAnnualizedPct, "funding", v => v >= min, Pct) with { IsRiskFlag = true };
    }

    /// <summary>Deleveraging: 3m basis in [MinBasisPct, MaxBasisPct] (default 4–6 %).</summary>
    public static ConditionResult DeleveragingBasis(RuleContext ctx)
    {
        var o = ctx.Options.Deleveraging;
        return Level(ctx, "deleveraging.basis", $"3m basis in {Pct(o.MinBasisPct)}\u2013{Pct(o.MaxBasisPct)}", $"{Pct(o.MinBasisPct)}\u2013{Pct(o.MaxBasisPct)}",
            d => d.Basis3mAnnualizedPct, "3m basis", v => v >= o.MinBasisPct && v <= o.MaxBasisPct, Pct);
    }

    /// <summary>Deleveraging: funding falling (below its reading LookbackSessions sessions earlier).</summary>
    public static ConditionResult DeleveragingFundingFalling(RuleContext ctx)
    {
        var n = ctx.Options.Deleveraging.LookbackSessions;
        return Change(ctx, "deleveraging.funding-falling", $"Funding falling over the last {n} sessions", "falling", d => d.FundingAnnualizedPct, "funding", n, rising: false);
    }

    /// <summary>Deleveraging: offshore open interest falling (5-session change &lt; 0).</summary>
    public static ConditionResult DeleveragingOiFalling(RuleContext ctx) =>
        Level(ctx, "deleveraging.oi-falling", "Offshore OI falling (5-session change < 0)", "< 0%", d => d.OffshoreOpenInterestChange5SessionsPct, "offshore OI change", v => v < 0, SignedPct);

    private static ConditionResult Level(RuleContext ctx, string id, string text, string threshold, Func<DerivativesDaily, decimal?> field, string name, Func<decimal, bool> test, Func<decimal, string> format)
    {
        if (ctx.Reading is not { } r) return ConditionFactory.Unknown(id, text, threshold, Dataset, ctx.ReadingStaleReason!);
        if (field(r) is not { } v) return ConditionFactory.Unknown(id, text, threshold, Dataset, $"{name} not in the {DateIso(r.Session)} reading", asOf: r.Session);
        return new ConditionResult
        {
            Id = id,
            Text = text,
            Threshold = threshold,
            ObservedValue = v,
            Observed = format(v),
            Met = test(v),
            AsOf = r.Session,
            Dataset = Dataset,
            Source = Source(r),
        };
    }

    private static ConditionResult Change(RuleContext ctx, string id, string text, string threshold, Func<DerivativesDaily, decimal?> field, string name, int sessions, bool rising)
    {
        if (ctx.Reading is not { } r) return ConditionFactory.Unknown(id, text, threshold, Dataset, ctx.ReadingStaleReason!);
        if (field(r) is not { } now) return ConditionFactory.Unknown(id, text, threshold, Dataset, $"{name} not in the {DateIso(r.Session)} reading", asOf: r.Session);
        var baselineSession = ctx.SessionsBefore(ctx.AsOf, sessions);
        var (b, reason) = ctx.ReadingFor(baselineSession);
        if (b is null) return ConditionFactory.Unknown(id, text, threshold, Dataset, $"baseline for {DateIso(baselineSession)}: {reason}", asOf: r.Session);
        if (field(b) is not { } then) return ConditionFactory.Unknown(id, text, threshold, Dataset, $"{name} not in the {DateIso(b.Session)} reading", asOf: r.Session);
        return new ConditionResult
        {
            Id = id,
            Text = text,
            Threshold = threshold,
            ObservedValue = now - then,
            Observed = $"{Pct(now)} from {Pct(then)} on {Date(b.Session)}",
            Met = rising ? now > then : now < then,
            AsOf = r.Session,
            Dataset = Dataset,
            Source = Source(r),
        };
    }

    private static string Source(DerivativesDaily r)
    {
        var source = r.Venues.Count > 0 ? string.Join('+', r.Venues) : "derivatives";
        return r.Illustrative ? source + " (illustrative)" : source;
    }

    private static string SignedPct(decimal v) => (v > 0 ? "+" : "") + Pct(v);

    private static string Btc(decimal v)
    {
        var text = Math.Abs(v).ToString("#,##0", CultureInfo.InvariantCulture) + " BTC";
        return v > 0 ? "+" + text : v < 0 ? "\u2212" + text : text;
    }
}
