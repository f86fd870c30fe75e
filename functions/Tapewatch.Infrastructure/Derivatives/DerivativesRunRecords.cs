using Tapewatch.Core.Derivatives;
using Tapewatch.Infrastructure.Ingestion;

namespace Tapewatch.Infrastructure.Derivatives;

/// <summary>The run records of a derivatives ingestion: one per venue, CFTC, BTC close and the composite (built by <see cref="IngestionRecorder.NewRun"/>).</summary>
internal static class DerivativesRunRecords
{
    public static IngestionRun ForVenue(TimeProvider time, VenueOutcome o, DateTimeOffset started) => IngestionRecorder.NewRun(
        time,
        DerivativesIngestion.Dataset + "-" + o.Venue,
        o.Venue,
        o.Status switch
        {
            VenueStatus.Ok => RunOutcome.Succeeded,
            VenueStatus.Partial or VenueStatus.Stale => RunOutcome.Partial,
            VenueStatus.Blocked => RunOutcome.SourceBlocked,
            VenueStatus.Malformed => RunOutcome.ParseFailed,
            _ => RunOutcome.Failed,
        },
        started,
        fetched: o.Reading is null ? 0 : 1,
        error: o.Reason);

    public static IngestionRun ForComposite(TimeProvider time, DerivativesReading reading, DateTimeOffset started, int inserted, int unchanged, DerivativesSnapshotWrite snapshot, bool enqueued)
    {
        var usable = reading.Venues.Count(v => v.Usable);
        var outcome = usable == 0
            ? reading.Venues.Count > 0 && reading.Venues.All(v => v.Status == VenueStatus.Blocked) ? RunOutcome.SourceBlocked : RunOutcome.Failed
            : reading.Venues.All(v => v.Status == VenueStatus.Ok) ? RunOutcome.Succeeded : RunOutcome.Partial;
        // Details are in each venue's own record; the composite names who is missing.
        var problems = reading.Venues.Where(v => v.Status != VenueStatus.Ok).Select(v => $"{v.Venue} {v.Status}").ToList();
        var source = "composite of " + (usable == 0 ? "no venue" : string.Join(',', reading.Venues.Where(v => v.Usable).Select(v => v.Venue)));
        return IngestionRecorder.NewRun(time, DerivativesIngestion.Dataset, source, outcome, started, fetched: usable, inserted: inserted, unchanged: unchanged,
            updated: snapshot.Outcome == DerivativesSnapshotOutcome.Updated ? 1 : 0, error: problems.Count == 0 ? null : "left out: " + string.Join(", ", problems), enqueued: enqueued);
    }
}
