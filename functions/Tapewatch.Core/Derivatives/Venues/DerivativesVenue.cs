using System.Globalization;

namespace Tapewatch.Core.Derivatives.Venues;

/// <summary>
/// A derivatives venue: which requests it makes and how it turns the answers into a normalised
/// <see cref="VenueReading"/>. The documents come over HTTP (typed client) or from recordings.
/// </summary>
public abstract class DerivativesVenue
{
    public abstract string Name { get; }

    /// <summary>Reads the venue; throws <see cref="VenueRequestException"/> when nothing usable came back.</summary>
    public abstract Task<VenueReading> ReadAsync(IVenueDocuments documents, DerivativesOptions options, CancellationToken cancellationToken);

    protected VenueRequest Request(Uri baseUrl, string path, string symbol, params (string Key, string Value)[] query) =>
        new(Name, baseUrl, path, query.Select(q => new KeyValuePair<string, string>(q.Key, q.Value)).ToList(), symbol);

    /// <summary>Runs the parts of one venue read: a blocked or unreachable venue stops at once; other failures become notes.</summary>
    protected sealed class Parts(string venue)
    {
        private readonly List<string> _notes = [];
        private VenueRequestException? _first;

        public IReadOnlyList<string> Notes => _notes;

        /// <summary>True when a part failed or a value was rejected.</summary>
        public bool Failed => _first is not null || _rejected;

        private bool _rejected;

        public void Note(string note) => _notes.Add(note);

        /// <summary>A value was read but rejected (e.g. funding in units that cannot be normalised).</summary>
        public void Reject(string note)
        {
            _rejected = true;
            _notes.Add(note);
        }

        public async Task<T?> TryAsync<T>(string what, Func<Task<T>> part)
            where T : class
        {
            try
            {
                return await part().ConfigureAwait(false);
            }
            catch (VenueRequestException ex) when (ex.Kind is VenueErrorKind.Blocked or VenueErrorKind.Network)
            {
                // Refused or unreachable: the venue's other endpoints are on the same host; stop here.
                throw;
            }
            catch (VenueRequestException ex)
            {
                _first ??= ex;
                _notes.Add($"{what}: {ex.Message}");
            }
            catch (VenueFormatException ex)
            {
                _first ??= new VenueRequestException(VenueErrorKind.Malformed, $"{venue} {what}: {ex.Message}", ex);
                _notes.Add($"{what}: {ex.Message}");
            }

            return null;
        }

        /// <summary>The failure to report when the venue gave nothing usable: the first part's, with every note.</summary>
        public VenueRequestException Nothing() =>
            new(_first?.Kind ?? VenueErrorKind.Malformed, _notes.Count == 0 ? $"{venue}: no usable data" : string.Join("; ", _notes), _first);

        /// <summary>
        /// A value no venue can mean (outside <see cref="VenueBounds"/>) is left out with a note, before any arithmetic
        /// uses it; anything else passes through.
        /// </summary>
        public decimal? Plausible(decimal? value, string what, Func<decimal, bool> within)
        {
            if (value is not { } v || within(v)) return value;
            Reject(string.Create(CultureInfo.InvariantCulture, $"{what}: {v} is outside the plausible range; left out"));
            return null;
        }

        /// <summary>Open-interest history without the points no venue can mean (each dropped point noted once).</summary>
        public IReadOnlyList<OpenInterestPoint> Plausible(IReadOnlyList<OpenInterestPoint>? points, string what)
        {
            if (points is null) return [];
            var kept = points.Where(p => VenueBounds.IsOpenInterestBtc(p.Btc)).ToList();
            if (kept.Count < points.Count) Reject($"{what}: {points.Count - kept.Count} point(s) outside the plausible open interest left out");
            return kept;
        }

        /// <summary>
        /// Funding as an 8-hour rate, or null with a note when the venue's rate (per its period) or the 8-hour rate is
        /// beyond what a market can pay (a unit error or a broken answer).
        /// </summary>
        public decimal? Funding8h(FundingObservation? funding, decimal maxAbsRate8h)
        {
            if (funding is null || Plausible(funding.Rate, "funding", VenueBounds.IsFundingRatePerPeriod) is null) return null;
            return Plausible(Per8h(funding), string.Create(CultureInfo.InvariantCulture, $"funding per 8 h (beyond ±{maxAbsRate8h})"), r => Math.Abs(r) <= maxAbsRate8h);
        }

        /// <summary>A 3-month basis, or null with a note when it is beyond <see cref="VenueBounds.MaxAbsBasisPct"/>.</summary>
        public BasisResult? Plausible(BasisResult? basis) =>
            basis is null || Plausible(basis.AnnualizedPct, "basis", VenueBounds.IsBasisPct) is not null ? basis : null;

        /// <summary>Throws the first failure when the venue gave nothing usable, or data of no plausible time.</summary>
        public void EnsureAny(VenueReading reading)
        {
            EnsureTime(reading.AsOfUtc);
            if (reading.FundingRate8h is not null || reading.OpenInterestBtc is not null || reading.Basis3mAnnualizedPct is not null) return;
            throw Nothing();
        }

        /// <summary>
        /// A reading dated before Bitcoin existed or centuries ahead is a broken answer (its time would be used to find
        /// the session, and the calendar arithmetic would leave the calendar).
        /// </summary>
        public void EnsureTime(DateTimeOffset asOfUtc)
        {
            if (!VenueBounds.IsTime(asOfUtc))
            {
                throw new VenueRequestException(VenueErrorKind.Malformed, string.Create(CultureInfo.InvariantCulture, $"{venue}: data time {asOfUtc:O} is not plausible"));
            }
        }
    }

    /// <summary>A settled funding rate as an 8-hour rate (for a rate within <see cref="VenueBounds.MaxAbsFundingRatePerPeriod"/>; an interval of at least a millisecond).</summary>
    public static decimal Per8h(FundingObservation f) => f.Rate * 8m / (decimal)f.Interval.TotalHours;
}
