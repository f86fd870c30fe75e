using System.Globalization;

namespace Tapewatch.Core.Derivatives;

/// <summary>
/// Combines venue outcomes into one reading. Venues that failed, or whose data is too far from the reading's time,
/// are left out and named in the notes. Funding is weighted by each venue's open interest (BTC); the basis is the
/// mean of the venues that have one; open interest is summed; the 5-session change compares the same venues at both ends.
/// </summary>
public static class DerivativesComposite
{
    /// <summary>
    /// The reading's reference time: now for live reads; for recordings, the median of the venues' own times (so one
    /// recording from another day does not drag the others along).
    /// </summary>
    public static DateTimeOffset MedianTime(IEnumerable<VenueOutcome> outcomes)
    {
        var times = outcomes.Where(o => o.Reading is not null).Select(o => o.Reading!.AsOfUtc).Order().ToList();
        if (times.Count == 0) throw new InvalidOperationException("No venue has a reading.");
        return times[(times.Count - 1) / 2];
    }

    /// <param name="oiReferenceUtc">The close five sessions back, for the open-interest change.</param>
    /// <param name="storedReference">Open interest per venue near <paramref name="oiReferenceUtc"/> from stored hourly readings.</param>
    public static DerivativesReading Build(
        IReadOnlyList<VenueOutcome> outcomes,
        DateTimeOffset asOf,
        DerivativesOptions options,
        DateTimeOffset? oiReferenceUtc = null,
        IReadOnlyDictionary<string, OpenInterestPoint>? storedReference = null)
    {
        var notes = new List<string>();
        var maxAge = TimeSpan.FromMinutes(options.MaxVenueAgeMinutes);
        var checkedOutcomes = new List<VenueOutcome>();
        foreach (var o in outcomes.OrderBy(o => o.Venue, StringComparer.Ordinal))
        {
            if (o.Usable && (o.Reading!.AsOfUtc - asOf).Duration() > maxAge)
            {
                var stale = o with
                {
                    Status = VenueStatus.Stale,
                    Reason = string.Create(CultureInfo.InvariantCulture, $"data as of {o.Reading.AsOfUtc:yyyy-MM-dd HH:mm}Z is {Describe((o.Reading.AsOfUtc - asOf).Duration())} from the reading's {asOf:yyyy-MM-dd HH:mm}Z"),
                };
                checkedOutcomes.Add(stale);
                notes.Add($"{o.Venue}: left out: {stale.Reason}");
                continue;
            }

            checkedOutcomes.Add(o);
            if (!o.Usable) notes.Add($"{o.Venue}: left out: {o.Status}: {o.Reason}");
        }

        // Aggregators (Coinalyze) are reported alongside: they already include the venues summed here.
        var alongside = checkedOutcomes.Where(o => o.Usable && o.Reading!.ReportedAlongside).Select(o => o.Reading!).ToList();
        var usable = checkedOutcomes.Where(o => o.Usable && !o.Reading!.ReportedAlongside).Select(o => o.Reading!).ToList();

        // Index: the median of the venues' index prices (used to value OI a venue gives only in BTC).
        var indices = usable.Where(r => r.IndexPriceUsd is > 0).Select(r => r.IndexPriceUsd!.Value).Order().ToList();
        if (indices.Count == 0)
        {
            // No venue gave an index: fall back to the prices implied by the venues' own USD valuations.
            // A price implied by a dust open interest would be no price at all (and could overflow).
            indices = usable.Where(r => r.OpenInterestUsd is > 0 && r.OpenInterestBtc is > 0)
                .Select(r => DecimalMath.Divide(r.OpenInterestUsd!.Value, r.OpenInterestBtc!.Value) is { } px ? Math.Round(px, 2) : 0m)
                .Where(VenueBounds.IsPrice)
                .Order()
                .ToList();
        }

        decimal? index = indices.Count == 0 ? null : indices.Count % 2 == 1 ? indices[indices.Count / 2] : (indices[(indices.Count / 2) - 1] + indices[indices.Count / 2]) / 2m;

        // Open interest.
        var oiVenues = usable.Where(r => r.OpenInterestBtc is not null).ToList();
        decimal? oiBtc = oiVenues.Count == 0 ? null : oiVenues.Sum(r => r.OpenInterestBtc!.Value);
        decimal? UsdOf(VenueReading r) => r.OpenInterestUsd ?? (r.OpenInterestBtc is { } b && index is { } px ? Math.Round(b * px, 0) : null);
        decimal? oiUsd = oiVenues.Count == 0 || oiVenues.Any(r => UsdOf(r) is null) ? null : oiVenues.Sum(r => UsdOf(r)!.Value);

        // Funding, weighted by open interest (BTC, so a venue without a price still weighs in); a venue's funding
        // older than its interval + 1 h is left out.
        var fundingVenues = new List<(VenueReading Reading, decimal Weight)>();
        var unweighted = new List<VenueReading>();
        foreach (var r in usable.Where(r => r.FundingRate8h is not null))
        {
            var interval = TimeSpan.FromHours((double)(r.FundingIntervalHours ?? 8m));
            if (r.FundingTimeUtc is { } ft && asOf - ft > interval + TimeSpan.FromHours(1))
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"{r.Venue}: funding left out: last settlement {ft:yyyy-MM-dd HH:mm}Z is older than its {interval.TotalHours:0.#} h interval"));
                continue;
            }

            if (r.OpenInterestBtc is { } w and > 0) fundingVenues.Add((r, w));
            else unweighted.Add(r);
        }

        decimal? funding = null;
        IReadOnlyList<string> fundingNames = [];
        if (fundingVenues.Count > 0)
        {
            funding = fundingVenues.Sum(f => f.Reading.FundingRate8h!.Value * f.Weight) / fundingVenues.Sum(f => f.Weight);
            fundingNames = fundingVenues.Select(f => f.Reading.Venue).ToList();
            foreach (var u in unweighted) notes.Add($"{u.Venue}: funding left out of the OI-weighted composite (no open interest to weight it)");
        }
        else if (unweighted.Count > 0)
        {
            funding = unweighted.Average(r => r.FundingRate8h!.Value);
            fundingNames = unweighted.Select(r => r.Venue).ToList();
            notes.Add("funding: simple mean (no venue had open interest to weight by)");
        }

        // Basis: mean of the venues' 3-month annualised basis.
        var basisVenues = usable.Where(r => r.Basis3mAnnualizedPct is not null).ToList();
        decimal? basis = basisVenues.Count == 0 ? null : basisVenues.Average(r => r.Basis3mAnnualizedPct!.Value);

        foreach (var r in usable.Concat(alongside))
        {
            foreach (var n in r.Notes) notes.Add($"{r.Venue}: {n}");
        }

        // An aggregate's USD open interest in BTC at the composite index (when it gave USD only).
        if (alongside.Count > 0)
        {
            checkedOutcomes = checkedOutcomes.Select(o => o.Usable && o.Reading!.ReportedAlongside && o.Reading.OpenInterestBtc is null && o.Reading.OpenInterestUsd is { } usd
                ? index is > 0 ? o with { Reading = o.Reading with { OpenInterestBtc = Math.Round(usd / index.Value, 2), IndexPriceUsd = o.Reading.IndexPriceUsd ?? index } } : NoteUsdOnly(o, notes)
                : o).ToList();
        }

        var change = oiReferenceUtc is { } refUtc ? OpenInterestChange(oiVenues, refUtc, storedReference, notes) : null;

        return new DerivativesReading
        {
            AsOfUtc = asOf,
            Venues = checkedOutcomes,
            FundingRate8h = funding is { } f ? Math.Round(f, 10) : null,
            FundingVenues = fundingNames,
            OffshoreOpenInterestBtc = oiBtc,
            OffshoreOpenInterestUsd = oiUsd,
            OpenInterestVenues = oiVenues.Select(r => r.Venue).ToList(),
            OpenInterestChange5Sessions = change,
            Basis3mAnnualizedPct = basis is { } b ? Math.Round(b, 4) : null,
            BasisVenues = basisVenues.Select(r => r.Venue).ToList(),
            IndexPriceUsd = index,
            Notes = notes,
        };
    }

    private static VenueOutcome NoteUsdOnly(VenueOutcome o, List<string> notes)
    {
        notes.Add($"{o.Venue}: open interest in USD only (no index price to convert it to BTC)");
        return o;
    }

    /// <summary>Like-for-like change: only venues with open interest both now and near the reference time.</summary>
    public static OpenInterestChange? OpenInterestChange(
        IReadOnlyList<VenueReading> current,
        DateTimeOffset referenceUtc,
        IReadOnlyDictionary<string, OpenInterestPoint>? stored,
        List<string>? notes = null)
    {
        decimal from = 0, to = 0;
        var venues = new List<string>();
        foreach (var r in current.Where(r => r.OpenInterestBtc is not null))
        {
            var history = r.OpenInterestHistory
                .Where(p => (p.AtUtc - referenceUtc).Duration() <= TimeSpan.FromMinutes(60))
                .OrderBy(p => (p.AtUtc - referenceUtc).Duration())
                .FirstOrDefault();
            var reference = history ?? (stored is not null && stored.TryGetValue(r.Venue, out var s) ? s : null);
            if (reference is null || reference.Btc <= 0)
            {
                notes?.Add(string.Create(CultureInfo.InvariantCulture, $"{r.Venue}: no open interest near {referenceUtc:yyyy-MM-dd HH:mm}Z; left out of the 5-session change"));
                continue;
            }

            from += reference.Btc;
            to += r.OpenInterestBtc!.Value;
            venues.Add(r.Venue);
        }

        if (venues.Count == 0 || from <= 0) return null;

        // A dust reference (1e-28 BTC from a broken answer) would overflow the ratio: no change rather than an exception.
        if (DecimalMath.Divide(to, from) is not { } ratio || DecimalMath.Multiply(ratio - 1m, 100m) is not { } pct)
        {
            notes?.Add(string.Create(CultureInfo.InvariantCulture, $"open interest change: {to} BTC against {from} BTC is out of range; not computed"));
            return null;
        }

        return new OpenInterestChange(Math.Round(pct, 4), from, to, referenceUtc, venues);
    }

    private static string Describe(TimeSpan t) => t.TotalHours >= 48
        ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalDays:0.#} days")
        : string.Create(CultureInfo.InvariantCulture, $"{t.TotalHours:0.#} h");
}
