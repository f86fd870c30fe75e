using Tapewatch.Core.Domain;
using Tapewatch.Core.Weekly;

namespace Tapewatch.Infrastructure.Weekly;

/// <summary>The public JSON shape of a week (API responses, CLI --json): money in whole USD, unstated fields absent.</summary>
public sealed record WeeklyFlowJson(
    string WeekEnding,
    string? PublishedOn,
    long TotalUsd,
    IReadOnlyDictionary<string, long> Assets,
    IReadOnlyDictionary<string, long> Regions,
    long? AumUsd,
    string Source)
{
    public static WeeklyFlowJson From(WeeklyFundFlow w) => new(
        w.WeekEnding.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        w.PublishedOn?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        w.TotalUsd,
        w.Assets,
        w.Regions,
        w.AumUsd,
        w.Source);
}
