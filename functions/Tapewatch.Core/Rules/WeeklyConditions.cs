using Tapewatch.Core.Domain;
using static Tapewatch.Core.Rules.RuleFormat;

namespace Tapewatch.Core.Rules;

/// <summary>Conditions on the CoinShares weekly fund flows: one function per condition.</summary>
public static class WeeklyConditions
{
    private const string Dataset = Datasets.WeeklyFlows;

    /// <summary>Caution confirmation: the latest CoinShares week (global total) ≤ MaxCoinSharesWeekUsdM (default −1,000).</summary>
    public static ConditionResult CautionCoinShares(RuleContext ctx)
    {
        var max = ctx.Options.Caution.MaxCoinSharesWeekUsdM;
        const string id = "caution.confirm.coinshares";
        var text = $"Latest CoinShares week \u2264 {Flow(max)}";
        var threshold = $"\u2264 {Flow(max)}";
        if (ctx.Week is not { } w) return ConditionFactory.Unknown(id, text, threshold, Dataset, ctx.WeeklyStaleReason!);
        var total = Money.MillionsFromUsd(w.TotalUsd);
        return new ConditionResult
        {
            Id = id,
            Text = text,
            Threshold = threshold,
            ObservedValue = total,
            Observed = $"{Flow(total)} (week to {Date(w.WeekEnding)})",
            Met = total <= max,
            AsOf = w.WeekEnding,
            Dataset = Dataset,
            Source = w.Source,
        };
    }

    /// <summary>ETF-led vs broad: the US ETF sum of the CoinShares week ÷ the CoinShares global total ≥ MinRatio (same sign).</summary>
    public static ConditionResult EtfLedRatio(RuleContext ctx)
    {
        var min = ctx.Options.EtfLed.MinRatio;
        const string id = "etf-led.ratio";
        const string text = "US ETF weekly sum \u00f7 CoinShares global weekly total, same sign";
        var threshold = $"\u2265 {Ratio(min)}";
        if (ctx.Week is not { } w) return ConditionFactory.Unknown(id, text, threshold, Dataset, ctx.WeeklyStaleReason!);
        var etf = ctx.SumWeek(Time.TradingCalendar.WeekStart(w.WeekEnding), w.WeekEnding);
        if (etf.Sum is not { } us)
        {
            return ConditionFactory.Unknown(id, text, threshold, Datasets.EtfFlows,
                $"US ETF week to {DateIso(w.WeekEnding)} has missing session(s) {string.Join(", ", etf.Missing.Select(DateIso))}", asOf: w.WeekEnding);
        }

        var global = Money.MillionsFromUsd(w.TotalUsd);
        decimal? ratio = global == 0 ? null : Math.Round(us / global, 4);
        return new ConditionResult
        {
            Id = id,
            Text = text,
            Threshold = threshold,
            ObservedValue = ratio,
            Observed = $"US ETFs {Flow(us)} \u00f7 CoinShares {Flow(global)} = {(ratio is { } r ? Ratio(r) : "n/a")} (week to {Date(w.WeekEnding)})",
            Met = ratio is { } x && x >= min,
            AsOf = w.WeekEnding,
            Dataset = Dataset,
            Source = w.Source,
        };
    }

    internal static decimal Millions(WeeklyFundFlow w) => Money.MillionsFromUsd(w.TotalUsd);
}
