using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tapewatch.Core.Derivatives;
using Tapewatch.Core.Domain;
using Tapewatch.Core.Time;
using Tapewatch.Infrastructure.Ingestion;

namespace Tapewatch.Infrastructure.Derivatives;

/// <summary>
/// One derivatives ingestion: reads every enabled venue (in parallel; one failing never fails the others), builds the
/// composite, stores the hourly reading, takes the daily snapshot at the US close (first reading inside the window
/// after the close; later runs only fill what it lacks), records one run per venue/dataset and asks for an
/// evaluation when the daily snapshot changed.
/// </summary>
public sealed partial class DerivativesIngestion(
    IEnumerable<IDerivativesVenueSource> venues,
    CmeAndBtcCloseReader dailyFacts,
    Lazy<DerivativesStorage> storage,
    TradingCalendar calendar,
    TimeProvider time,
    IOptions<DerivativesOptions> options,
    ILogger<DerivativesIngestion> logger)
{
    public const string Dataset = "derivatives";
    public const string CftcDataset = "cftc-cot";
    public const string CloseDataset = "btc-close";

    private DerivativesOptions O => options.Value;

    /// <summary>
    /// A scheduled run: like <see cref="RunAsync"/>, but a storage outage becomes a Failed run with its reason (the
    /// next run reads and writes again; nothing half-written is kept as final) instead of an exception.
    /// </summary>
    public async Task<IReadOnlyList<IngestionRun>> RunJobAsync(DerivativesRunMode mode, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        try
        {
            return (await RunAsync(new DerivativesRunRequest { Mode = mode }, cancellationToken).ConfigureAwait(false)).Runs;
        }
        catch (Exception ex) when (IngestionRecorder.IsStorageOutage(ex))
        {
            var failed = IngestionRecorder.StorageOutage(time, Dataset, "composite", started, ex);
            LogRunFailed(mode, failed.Error!);
            return [failed];
        }
    }

    public async Task<DerivativesRunResult> RunAsync(DerivativesRunRequest request, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var recorded = request.RecordedDirectory is { } dir ? new RecordedVenueDocuments(dir) : null;
        var selected = venues.Where(v => recorded?.HasVenue(v.Name) ?? v.IsEnabled).ToList();
        if (selected.Count == 0 && recorded is null)
        {
            LogNoVenueEnabled();
            return new DerivativesRunResult
            {
                Reading = new DerivativesReading { AsOfUtc = started, Venues = [], Notes = ["no venue enabled (Tapewatch:Derivatives:<Venue>:Enabled)"] },
                SnapshotWrite = DerivativesSnapshotWrite.Skipped("no venue enabled"),
            };
        }

        var outcomes = await Task.WhenAll(selected.Select(v => ReadVenueAsync(v, recorded, cancellationToken))).ConfigureAwait(false);

        var asOf = recorded is not null && outcomes.Any(o => o.Reading is not null) ? DerivativesComposite.MedianTime(outcomes) : started;
        var session = calendar.LatestClosedSession(asOf);
        var referenceSession = session;
        for (var i = 0; i < 5; i++) referenceSession = calendar.PreviousSession(referenceSession);
        var oiReference = NewYorkTime.CloseUtc(referenceSession);

        IReadOnlyDictionary<string, OpenInterestPoint>? stored = null;
        if (!request.DryRun)
        {
            stored = await storage.Value.Hourly.OpenInterestNearAsync(oiReference, TimeSpan.FromMinutes(90), cancellationToken).ConfigureAwait(false);
        }

        var reading = DerivativesComposite.Build(outcomes, asOf, O, oiReference, stored);
        if (recorded is null)
        {
            // Optional sources: skipped with their reason, not an outcome and not a failed run.
            var skipped = venues.Select(v => v.SkippedNote).OfType<string>().ToList();
            if (skipped.Count > 0) reading = reading with { Notes = [.. reading.Notes, .. skipped] };
        }

        var runs = new List<IngestionRun>();
        foreach (var o in reading.Venues) runs.Add(DerivativesRunRecords.ForVenue(time, o, started));

        // CFTC and the BTC close are daily/weekly facts: read them in the close run.
        CmeOpenInterest? cme = null;
        string? cmeNote = null;
        BtcClose? close = null;
        string? closeNote = null;
        IReadOnlyList<BtcClose> backfill = [];
        if (request.Mode == DerivativesRunMode.Close)
        {
            (cme, cmeNote, var cftcRun) = await dailyFacts.ReadCmeAsync(request.CftcFile, recorded, session, started, cancellationToken).ConfigureAwait(false);
            if (cftcRun is not null) runs.Add(cftcRun);
            if (recorded is null && !O.BtcClose.Enabled)
            {
                closeNote = "BTC close: disabled";
            }
            else
            {
                var sessions = !request.DryRun && recorded is null
                    ? await SessionsMissingCloseAsync(session, request.BackfillClosesFrom, cancellationToken).ConfigureAwait(false)
                    : [session];
                (close, backfill, closeNote, var closeRun) = await dailyFacts.ReadClosesAsync(sessions, recorded, session, started, cancellationToken).ConfigureAwait(false);
                if (closeRun is not null) runs.Add(closeRun);
            }
        }

        var closeUtc = NewYorkTime.CloseUtc(session);
        var inWindow = asOf >= closeUtc && asOf - closeUtc <= TimeSpan.FromMinutes(O.SnapshotWindowMinutes);
        var candidate = inWindow ? DerivativesSnapshots.Of(session, reading, cme, close) : null;
        DerivativesSnapshotWrite write;
        var enqueue = false;
        var hourlyRows = 0;
        var closesWritten = 0;

        if (request.DryRun)
        {
            write = inWindow ? new DerivativesSnapshotWrite(DerivativesSnapshotOutcome.DryRun, candidate) : DerivativesSnapshotWrite.Skipped(OutsideWindow(asOf, closeUtc, session));
        }
        else
        {
            var store = storage.Value;
            (hourlyRows, var hourlyUnchanged) = await store.Hourly.AddAsync(reading, cancellationToken).ConfigureAwait(false);
            candidate ??= close is null ? null : CloseOnly(session, close, asOf);
            write = candidate is null
                ? DerivativesSnapshotWrite.Skipped(OutsideWindow(asOf, closeUtc, session))
                : await DerivativesSnapshots.StoreAsync(store.Daily, candidate, cancellationToken).ConfigureAwait(false);
            enqueue = write.RuleInputsChanged;
            foreach (var b in backfill.Where(b => b.Session != session))
            {
                var backfilled = await DerivativesSnapshots.StoreAsync(store.Daily, CloseOnly(b.Session, b, asOf), cancellationToken).ConfigureAwait(false);
                if (backfilled.Written) closesWritten++;
            }

            // A failed evaluation request or run record is thrown (RunJobAsync makes a storage outage a Failed run).
            var recorder = new IngestionRecorder(Dataset, store.Runs, store.Evaluations, time);
            await recorder.RequestEvaluationAsync(enqueue ? session : null, safety: null, reportFailure: null, cancellationToken).ConfigureAwait(false);
            runs.Add(DerivativesRunRecords.ForComposite(time, reading, started, hourlyRows, hourlyUnchanged, write, enqueue));
            foreach (var run in runs) await recorder.RecordAsync(run, cancellationToken).ConfigureAwait(false);
        }

        LogRunDone(request.Mode, reading.Venues.Count(v => v.Usable), reading.Venues.Count, reading.FundingAnnualizedPct, reading.Basis3mAnnualizedPct, reading.OffshoreOpenInterestBtc, session, write.Action);

        return new DerivativesRunResult
        {
            Reading = reading,
            Cme = cme,
            CmeNote = cmeNote,
            Close = close,
            CloseNote = closeNote,
            Session = session,
            Snapshot = request.DryRun ? candidate : write.Snapshot,
            SnapshotWrite = write,
            HourlyRowsWritten = hourlyRows,
            ClosesBackfilled = closesWritten,
            EvaluationEnqueued = enqueue,
            Runs = runs,
        };
    }

    /// <summary>The stored snapshot stays; only its missing values are filled from the newer candidate.</summary>
    internal static DerivativesDaily Merge(DerivativesDaily current, DerivativesDaily candidate) => DerivativesSnapshots.Merge(current, candidate);

    private static DerivativesDaily CloseOnly(DateOnly session, BtcClose close, DateTimeOffset asOf) =>
        new() { Session = session, AsOfUtc = asOf, BtcCloseUsd = close.CloseUsd };

    private async Task<VenueOutcome> ReadVenueAsync(IDerivativesVenueSource venue, RecordedVenueDocuments? recorded, CancellationToken cancellationToken)
    {
        try
        {
            var reading = await venue.ReadAsync(recorded, cancellationToken).ConfigureAwait(false);
            return new VenueOutcome
            {
                Venue = venue.Name,
                Status = reading.Partial ? VenueStatus.Partial : VenueStatus.Ok,
                Reason = reading.Partial ? string.Join("; ", reading.Notes) : null,
                Reading = reading,
            };
        }
        catch (VenueRequestException ex)
        {
            LogVenueFailed(venue.Name, ex.Kind, ex.Message);
            return new VenueOutcome
            {
                Venue = venue.Name,
                Status = ex.Kind switch
                {
                    VenueErrorKind.Blocked => VenueStatus.Blocked,
                    VenueErrorKind.Malformed => VenueStatus.Malformed,
                    _ => VenueStatus.Failed,
                },
                Reason = ex.Message,
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogVenueFailedUnexpectedly(ex, venue.Name);
            return new VenueOutcome { Venue = venue.Name, Status = VenueStatus.Failed, Reason = ex.GetType().Name + ": " + ex.Message };
        }
    }

    private async Task<List<DateOnly>> SessionsMissingCloseAsync(DateOnly session, DateOnly? from, CancellationToken cancellationToken)
    {
        var start = session;
        if (from is { } f && f < session) start = f;
        else
        {
            for (var i = 0; i < O.BtcClose.BackfillSessions; i++) start = calendar.PreviousSession(start);
        }

        var stored = await storage.Value.Daily.GetRangeAsync(start, session, cancellationToken).ConfigureAwait(false);
        var have = stored.Where(d => d.BtcCloseUsd is not null).Select(d => d.Session).ToHashSet();
        var missing = calendar.Sessions(start, session).Where(s => !have.Contains(s)).ToList();
        if (!missing.Contains(session)) missing.Add(session);
        return missing;
    }

    private string OutsideWindow(DateTimeOffset asOf, DateTimeOffset closeUtc, DateOnly session) => string.Create(
        CultureInfo.InvariantCulture,
        $"reading at {asOf:yyyy-MM-dd HH:mm}Z is not within {O.SnapshotWindowMinutes} min after the {session:yyyy-MM-dd} close ({closeUtc:HH:mm}Z)");

    [LoggerMessage(EventId = 1500, Level = LogLevel.Error, Message = "Derivatives {Mode} run failed: {Reason}")]
    private partial void LogRunFailed(DerivativesRunMode mode, string reason);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Information, Message = "Derivatives: no venue enabled; nothing to do")]
    private partial void LogNoVenueEnabled();

    [LoggerMessage(EventId = 1502, Level = LogLevel.Information,
        Message = "Derivatives {Mode}: {Usable}/{Total} venues, funding {Funding} %, basis {Basis} %, OI {Oi} BTC; snapshot {Session}: {Action}")]
    private partial void LogRunDone(DerivativesRunMode mode, int usable, int total, decimal? funding, decimal? basis, decimal? oi, DateOnly session, string action);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Warning, Message = "Derivatives venue {Venue}: {Kind}: {Reason}")]
    private partial void LogVenueFailed(string venue, VenueErrorKind kind, string reason);

    [LoggerMessage(EventId = 1504, Level = LogLevel.Error, Message = "Derivatives venue {Venue} failed unexpectedly")]
    private partial void LogVenueFailedUnexpectedly(Exception exception, string venue);
}
