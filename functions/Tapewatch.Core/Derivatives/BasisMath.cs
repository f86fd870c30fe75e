using System.Globalization;
using System.Text.Json.Serialization;

namespace Tapewatch.Core.Derivatives;

[JsonConverter(typeof(JsonStringEnumConverter<BasisMethod>))]
public enum BasisMethod
{
    /// <summary>Interpolate the annualised basis of the two quarterlies around 90 days to exactly 90 days.</summary>
    Constant90,

    /// <summary>Use the quarterly whose days to expiry are nearest 90.</summary>
    Nearest90,
}

/// <summary>The 3-month basis of one venue and the contracts it came from.</summary>
public sealed record BasisResult(decimal AnnualizedPct, decimal Days, string Detail);

/// <summary>
/// Annualised basis = (F / S − 1) × 365 / days to expiry (ACT/365, fractional days from the exact expiry time).
/// Only quarterlies (last Friday of Mar/Jun/Sep/Dec) count; a contract past expiry or closer than
/// <c>minDays</c> is excluded (its basis is noise as it converges).
/// </summary>
public static class BasisMath
{
    public const decimal TargetDays = 90m;

    /// <summary>Dated futures on these venues expire at 08:00 UTC.</summary>
    public static readonly TimeOnly ExpiryTimeUtc = new(8, 0);

    public static decimal DaysBetween(DateTimeOffset from, DateTimeOffset to) => (decimal)(to - from).Ticks / TimeSpan.TicksPerDay;

    public static decimal AnnualizedPct(decimal futures, decimal spot, decimal days)
    {
        if (spot <= 0) throw new ArgumentOutOfRangeException(nameof(spot), "Spot must be positive.");
        if (days <= 0) throw new ArgumentOutOfRangeException(nameof(days), "Days to expiry must be positive.");
        return ((futures / spot) - 1m) * 365m / days * 100m;
    }

    /// <summary>True when <paramref name="date"/> is the last Friday of March, June, September or December.</summary>
    public static bool IsQuarterlyExpiry(DateOnly date) =>
        date.Month % 3 == 0 && date.DayOfWeek == DayOfWeek.Friday && date.AddDays(7).Month != date.Month;

    public static DateTimeOffset ExpiryUtc(DateOnly date) => new(date.ToDateTime(ExpiryTimeUtc), TimeSpan.Zero);

    public static BasisResult? ThreeMonth(IEnumerable<FuturesQuote> quotes, decimal spot, DateTimeOffset asOf, BasisMethod method, decimal minDays = 7m)
    {
        // Prices no market can have would overflow (F / S − 1) × 365 / days: such quotes are not a basis.
        if (!VenueBounds.IsPrice(spot)) return null;
        var candidates = quotes
            .Where(q => VenueBounds.IsPrice(q.Price) && IsQuarterlyExpiry(DateOnly.FromDateTime(q.ExpiryUtc.UtcDateTime)))
            .Select(q => (Quote: q, Days: DaysBetween(asOf, q.ExpiryUtc)))
            .Where(c => c.Days >= minDays && c.Days > 0)
            .OrderBy(c => c.Days)
            .ToList();
        if (candidates.Count == 0) return null;

        if (method == BasisMethod.Constant90)
        {
            var below = candidates.LastOrDefault(c => c.Days <= TargetDays);
            var above = candidates.FirstOrDefault(c => c.Days >= TargetDays);
            if (below.Quote is not null && above.Quote is not null)
            {
                var a1 = AnnualizedPct(below.Quote.Price, spot, below.Days);
                // Two quotes of one expiry exactly 90 days out straddle nothing: no interpolation (and no division by zero).
                if (below.Quote == above.Quote || below.Days == above.Days)
                {
                    return new BasisResult(a1, below.Days, Describe(below.Quote, below.Days));
                }

                var a2 = AnnualizedPct(above.Quote.Price, spot, above.Days);
                var weight = (TargetDays - below.Days) / (above.Days - below.Days);
                var interpolated = a1 + ((a2 - a1) * weight);
                return new BasisResult(interpolated, TargetDays, $"{Describe(below.Quote, below.Days)} ~ {Describe(above.Quote, above.Days)} interpolated to 90 d");
            }
        }

        // Nearest 90 days (also the fall-back when no pair of quarterlies straddles 90 days).
        var nearest = candidates.OrderBy(c => Math.Abs(c.Days - TargetDays)).ThenBy(c => c.Days).First();
        var note = method == BasisMethod.Constant90 ? " (nearest: no quarterlies on both sides of 90 d)" : "";
        return new BasisResult(AnnualizedPct(nearest.Quote.Price, spot, nearest.Days), nearest.Days, Describe(nearest.Quote, nearest.Days) + note);
    }

    private static string Describe(FuturesQuote q, decimal days) =>
        string.Create(CultureInfo.InvariantCulture, $"{q.Instrument} ({days:0.0} d)");

    /// <summary>Parses YYMMDD (Binance "BTCUSD_260327", OKX "BTC-USD-260327").</summary>
    public static DateOnly? ParseYymmdd(string text) =>
        DateOnly.TryParseExact(text, "yyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    /// <summary>Parses Deribit's "27MAR26" (also "7MAR26").</summary>
    public static DateOnly? ParseDeribitDate(string text) =>
        DateOnly.TryParseExact(text, ["dMMMyy", "ddMMMyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
}
