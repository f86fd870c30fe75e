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

        /// <summary>Throws the first failure when the venue gave nothing usable.</summary>
        public void EnsureAny(VenueReading reading)
        {
            if (reading.FundingRate8h is not null || reading.OpenInterestBtc is not null || reading.Basis3mAnnualizedPct is not null) return;
            throw Nothing();
        }
    }

    /// <summary>A settled funding rate as an 8-hour rate.</summary>
    public static decimal Per8h(FundingObservation f) => f.Rate * 8m / (decimal)f.Interval.TotalHours;
}
