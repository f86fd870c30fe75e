using Tapewatch.Core.Domain;
using Tapewatch.Core.Time;

namespace Tapewatch.Core.Evidence;

/// <summary>
/// Derivatives readings for historical sessions from the history files, point in time: a session's reading uses only what
/// was known at its 16:00 New York close. Only funding and the BTC close are known on history; basis and open interest stay
/// absent, so the conditions on them stay unknown and say so.
/// </summary>
public static class HistoricalReadings
{
    public const string Venue = "history";

    /// <summary>Funding prints per day (every 8 hours) annualised: rate × 3 × 365 × 100.</summary>
    public static decimal Annualise(decimal ratePer8Hours) => ratePer8Hours * 3m * 365m * 100m;

    /// <summary>
    /// One reading per session that has a funding print in the 24 hours up to its close or a close: funding is the mean of
    /// those prints, annualised.
    /// </summary>
    public static IReadOnlyList<DerivativesDaily> For(IEnumerable<DateOnly> sessions, BtcHistory history)
    {
        var times = history.Funding.Select(f => f.TimeUtc).ToArray();
        var readings = new List<DerivativesDaily>();
        foreach (var session in sessions)
        {
            var closeUtc = NewYorkTime.CloseUtc(session);
            decimal? funding = null;
            var end = UpperBound(times, closeUtc); // prints at or before the close
            var sum = 0m;
            var count = 0;
            for (var i = end - 1; i >= 0 && times[i] > closeUtc.AddHours(-24); i--)
            {
                sum += history.Funding[i].Rate;
                count++;
            }

            if (count > 0) funding = Math.Round(Annualise(sum / count), 2);
            decimal? close = history.Closes.TryGetValue(session, out var c) ? c : null;
            if (funding is null && close is null) continue;
            readings.Add(new DerivativesDaily
            {
                Session = session,
                AsOfUtc = closeUtc,
                FundingAnnualizedPct = funding,
                BtcCloseUsd = close,
                Venues = [Venue],
            });
        }

        return readings;
    }

    private static int UpperBound(DateTimeOffset[] times, DateTimeOffset value)
    {
        int lo = 0, hi = times.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (times[mid] <= value) lo = mid + 1;
            else hi = mid;
        }

        return lo;
    }
}
