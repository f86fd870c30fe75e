using System.Globalization;
using Tapewatch.Core.Derivatives;

namespace Tapewatch.Tests.Fuzz;

/// <summary>
/// The oracle of the whole-venue reads: every value of a venue reading and of the composite built from it is within
/// <see cref="VenueBounds"/> (funding within the configured plausible rate), so no implausible value reaches storage,
/// the rules or a later division.
/// </summary>
public static class VenueBoundsOracle
{
    public static FuzzVerdict Check(VenueReading reading, DerivativesReading composite, DerivativesOptions options)
    {
        var violations = new List<string>();
        var values = 0;
        void Expect(string what, decimal? value, Func<decimal, bool> within)
        {
            if (value is not { } v) return;
            values++;
            if (!within(v)) violations.Add(string.Create(CultureInfo.InvariantCulture, $"{what} {v} is outside the venue bounds"));
        }

        bool Funding(decimal v) => Math.Abs(v) <= options.MaxAbsFundingRate8h;
        Expect("funding per 8 h", reading.FundingRate8h, Funding);
        Expect("open interest (BTC)", reading.OpenInterestBtc, VenueBounds.IsOpenInterestBtc);
        Expect("open interest (USD)", reading.OpenInterestUsd, VenueBounds.IsOpenInterestUsd);
        Expect("index price", reading.IndexPriceUsd, VenueBounds.IsPrice);
        Expect("basis", reading.Basis3mAnnualizedPct, VenueBounds.IsBasisPct);
        foreach (var p in reading.OpenInterestHistory) Expect("open interest history (BTC)", p.Btc, VenueBounds.IsOpenInterestBtc);
        Expect("composite funding per 8 h", composite.FundingRate8h, Funding);
        Expect("composite open interest (BTC)", composite.OffshoreOpenInterestBtc, VenueBounds.IsOpenInterestBtc);
        Expect("composite open interest (USD)", composite.OffshoreOpenInterestUsd, VenueBounds.IsOpenInterestUsd);
        Expect("composite index price", composite.IndexPriceUsd, VenueBounds.IsPrice);
        Expect("composite basis", composite.Basis3mAnnualizedPct, VenueBounds.IsBasisPct);
        return FuzzVerdict.Parsed(values, violations);
    }
}
