using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tapewatch.Core.Derivatives.Venues;
using Tapewatch.Core.Domain;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Infrastructure.Ingestion;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.Core.Time;
using Tapewatch.Core.Derivatives;

namespace Tapewatch.Infrastructure.Derivatives;

public enum DerivativesRunMode
{
    /// <summary>Venues only: the hourly reading (and the day's snapshot if it is still missing inside the window).</summary>
    Hourly,

    /// <summary>Venues, CFTC and the BTC close (with backfill): the daily snapshot at the US close.</summary>
    Close,
}

public sealed record DerivativesRunRequest
{
    public DerivativesRunMode Mode { get; init; } = DerivativesRunMode.Close;

    /// <summary>Read saved responses from this folder instead of calling the venues.</summary>
    public string? RecordedDirectory { get; init; }

    /// <summary>A CFTC file (CSV or JSON) to use instead of the public-reporting API.</summary>
    public string? CftcFile { get; init; }

    /// <summary>Read and compute only: no storage, no run records, no evaluation request.</summary>
    public bool DryRun { get; init; }

    /// <summary>Backfill BTC closes for every session from this date (otherwise the last few sessions).</summary>
    public DateOnly? BackfillClosesFrom { get; init; }
}

public sealed record DerivativesRunResult
{
    public required DerivativesReading Reading { get; init; }

    public CmeOpenInterest? Cme { get; init; }

    public string? CmeNote { get; init; }

    public BtcClose? Close { get; init; }

    public string? CloseNote { get; init; }

    public DateOnly? Session { get; init; }

    public DerivativesDaily? Snapshot { get; init; }

    /// <summary>inserted, updated, unchanged, skipped (why) or dry-run.</summary>
    public required string SnapshotAction { get; init; }

    public int HourlyRowsWritten { get; init; }

    public int ClosesBackfilled { get; init; }

    public bool EvaluationEnqueued { get; init; }

    public IReadOnlyList<IngestionRun> Runs { get; init; } = [];
}

/// <summary>
/// One derivatives ingestion: reads every enabled venue (in parallel; one failing never fails the others), builds the
/// composite, stores the hourly reading, takes the daily snapshot at the US close (first reading inside the window
/// after the close; later runs only fill what it lacks), records one run per venue/dataset and asks for an
/// evaluation when the daily snapshot changed.
/// </summary>
public sealed partial class DerivativesIngestion(
    IEnumerable<DerivativesVenue> venues,
    IServiceProvider services,
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
        catch (Exception ex) when (StorageFailure.Is(ex))
        {
            var reason = "storage: " + StorageFailure.Describe(ex);
            LogRunFailed(mode, reason);
            return
            [
                new IngestionRun
                {
                    Dataset = "derivatives",
                    Source = "composite",
                    Outcome = RunOutcome.Failed,
                    StartedUtc = started,
                    FinishedUtc = time.GetUtcNow(),
                    Error = reason,
                },
            ];
        }
    }

    public async Task<DerivativesRunResult> RunAsync(DerivativesRunRequest request, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var recorded = request.RecordedDirectory is { } dir ? new RecordedVenueDocuments(dir) : null;
        var selected = venues.Where(v => recorded?.HasVenue(v.Name) ?? IsEnabled(v.Name)).ToList();
        if (selected.Count == 0 && recorded is null)
        {
            LogNoVenueEnabled();
            return new DerivativesRunResult
            {
                Reading = new DerivativesReading { AsOfUtc = started, Venues = [], Notes = ["no venue enabled (Tapewatch:Derivatives:<Venue>:Enabled)"] },
                SnapshotAction = "skipped: no venue enabled",
            };
        }

        var outcomes = await Task.WhenAll(selected.Select(v => ReadVenueAsync(v, recorded is not null ? recorded : LiveDocuments(v.Name), cancellationToken))).ConfigureAwait(false);

        var asOf = recorded is not null && outcomes.Any(o => o.Reading is not null) ? DerivativesComposite.MedianTime(outcomes) : started;
        var session = calendar.LatestClosedSession(asOf);
        var referenceSession = session;
        for (var i = 0; i < 5; i++) referenceSession = calendar.PreviousSession(referenceSession);
        var oiReference = NewYorkTime.CloseUtc(referenceSession);

        IReadOnlyDictionary<string, OpenInterestPoint>? stored = null;
        if (!request.DryRun)
        {
            stored = await Hourly.OpenInterestNearAsync(oiReference, TimeSpan.FromMinutes(90), cancellationToken).ConfigureAwait(false);
        }

        var reading = DerivativesComposite.Build(outcomes, asOf, O, oiReference, stored);
        if (recorded is null && CoinalyzeVenue.SkipReason(O) is { } skipped)
        {
            // Optional source: skipped with its reason, not an outcome and not a failed run.
            reading = reading with { Notes = [.. reading.Notes, skipped] };
        }

        var runs = new List<IngestionRun>();
        foreach (var o in reading.Venues) runs.Add(VenueRun(o, started));

        // CFTC and the BTC close are daily/weekly facts: read them in the close run.
        CmeOpenInterest? cme = null;
        string? cmeNote = null;
        BtcClose? close = null;
        string? closeNote = null;
        IReadOnlyList<BtcClose> backfill = [];
        if (request.Mode == DerivativesRunMode.Close)
        {
            (cme, cmeNote, var cftcRun) = await ReadCmeAsync(request, recorded, session, started, cancellationToken).ConfigureAwait(false);
            if (cftcRun is not null) runs.Add(cftcRun);
            (close, backfill, closeNote, var closeRun) = await ReadClosesAsync(request, recorded, session, started, cancellationToken).ConfigureAwait(false);
            if (closeRun is not null) runs.Add(closeRun);
        }

        var closeUtc = NewYorkTime.CloseUtc(session);
        var inWindow = asOf >= closeUtc && asOf - closeUtc <= TimeSpan.FromMinutes(O.SnapshotWindowMinutes);
        var candidate = Snapshot(session, reading, cme, close);
        string action;
        var enqueue = false;
        var hourlyRows = 0;
        var closesWritten = 0;
        DerivativesDaily? snapshot = inWindow ? candidate : null;

        if (request.DryRun)
        {
            action = inWindow ? "dry-run" : SkipReason(asOf, closeUtc, session);
        }
        else
        {
            (hourlyRows, var hourlyUnchanged) = await Hourly.AddAsync(reading, cancellationToken).ConfigureAwait(false);
            (action, snapshot, enqueue) = await StoreSnapshotAsync(session, inWindow ? candidate : null, close, asOf, closeUtc, cancellationToken).ConfigureAwait(false);
            foreach (var b in backfill.Where(b => b.Session != session))
            {
                var (a, _, _) = await StoreSnapshotAsync(b.Session, null, b, asOf, NewYorkTime.CloseUtc(b.Session), cancellationToken).ConfigureAwait(false);
                if (a is "inserted" or "updated") closesWritten++;
            }

            if (enqueue)
            {
                await services.GetRequiredService<EvaluationQueue>().EnqueueAsync(Dataset, session, cancellationToken).ConfigureAwait(false);
            }

            runs.Add(CompositeRun(reading, started, hourlyRows, hourlyUnchanged, action, enqueue));
            var log = services.GetRequiredService<IngestionRunLog>();
            foreach (var run in runs) await log.RecordAsync(run, cancellationToken).ConfigureAwait(false);
        }

        LogRunDone(request.Mode, reading.Venues.Count(v => v.Usable), reading.Venues.Count, reading.FundingAnnualizedPct, reading.Basis3mAnnualizedPct, reading.OffshoreOpenInterestBtc, session, action);

        return new DerivativesRunResult
        {
            Reading = reading,
            Cme = cme,
            CmeNote = cmeNote,
            Close = close,
            CloseNote = closeNote,
            Session = session,
            Snapshot = snapshot,
            SnapshotAction = action,
            HourlyRowsWritten = hourlyRows,
            ClosesBackfilled = closesWritten,
            EvaluationEnqueued = enqueue,
            Runs = runs,
        };
    }

    private DerivativesHourlyStore Hourly => services.GetRequiredService<DerivativesHourlyStore>();

    private bool IsEnabled(string venue) => venue switch
    {
        "binance" => O.Binance.Enabled,
        "okx" => O.Okx.Enabled,
        "bybit" => O.Bybit.Enabled,
        "deribit" => O.Deribit.Enabled,
        "kraken" => O.Kraken.Enabled,
        CoinalyzeVenue.VenueName => CoinalyzeVenue.SkipReason(O) is null,
        _ => false,
    };

    private IVenueDocuments LiveDocuments(string venue) => venue switch
    {
        "binance" => services.GetRequiredService<BinanceHttpClient>(),
        "okx" => services.GetRequiredService<OkxHttpClient>(),
        "bybit" => services.GetRequiredService<BybitHttpClient>(),
        "deribit" => services.GetRequiredService<DeribitHttpClient>(),
        "kraken" => services.GetRequiredService<KrakenHttpClient>(),
        CoinalyzeVenue.VenueName => services.GetRequiredService<CoinalyzeHttpClient>(),
        _ => throw new InvalidOperationException($"No HTTP client for venue '{venue}'."),
    };

    private async Task<VenueOutcome> ReadVenueAsync(DerivativesVenue venue, IVenueDocuments documents, CancellationToken cancellationToken)
    {
        try
        {
            var reading = await venue.ReadAsync(documents, O, cancellationToken).ConfigureAwait(false);
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

    private async Task<(CmeOpenInterest? Cme, string? Note, IngestionRun? Run)> ReadCmeAsync(DerivativesRunRequest request, RecordedVenueDocuments? recorded, DateOnly session, DateTimeOffset started, CancellationToken cancellationToken)
    {
        string? text = null;
        string source;
        try
        {
            if (request.CftcFile is { } file)
            {
                source = "file";
                text = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
            }
            else if (recorded is not null)
            {
                source = "recorded";
                var path = Directory.Exists(recorded.Directory)
                    ? Directory.GetFiles(recorded.Directory, "cftc*").Where(f => f.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".json", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).FirstOrDefault()
                    : null;
                if (path is null) return (null, "CME: no CFTC recording (cftc*.csv|json) in the folder; use --cftc FILE", null);
                text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            }
            else if (O.Cftc.Enabled)
            {
                source = "cftc";
                text = await services.GetRequiredService<CftcHttpClient>().GetAsync(CftcCot.Request(O.Cftc), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                return (null, "CME: CFTC disabled", null);
            }
        }
        catch (VenueRequestException ex)
        {
            return (null, "CME: " + ex.Message, Run(CftcDataset, "cftc", ex.Kind == VenueErrorKind.Blocked ? RunOutcome.SourceBlocked : RunOutcome.Failed, started, error: ex.Message));
        }

        try
        {
            var rows = CftcCot.Parse(text);
            var cme = CftcCot.Compute(rows);
            if (cme is null) return (null, "CME: no Bitcoin rows in the CFTC answer", Run(CftcDataset, source, RunOutcome.ParseFailed, started, error: "no rows for 133741/133742"));
            var run = Run(CftcDataset, source, RunOutcome.Succeeded, started, fetched: rows.Count);
            if (cme.ReportDate < session.AddDays(-O.Cftc.MaxReportAgeDays))
            {
                return (null, string.Create(CultureInfo.InvariantCulture, $"CME: latest CFTC report ({cme.ReportDate:yyyy-MM-dd}) is older than {O.Cftc.MaxReportAgeDays} days before {session:yyyy-MM-dd}; not used"), run);
            }

            return (cme, null, run);
        }
        catch (VenueFormatException ex)
        {
            return (null, "CME: " + ex.Message, Run(CftcDataset, source, RunOutcome.ParseFailed, started, error: ex.Message));
        }
    }

    private async Task<(BtcClose? Close, IReadOnlyList<BtcClose> All, string? Note, IngestionRun? Run)> ReadClosesAsync(DerivativesRunRequest request, RecordedVenueDocuments? recorded, DateOnly session, DateTimeOffset started, CancellationToken cancellationToken)
    {
        if (recorded is null && !O.BtcClose.Enabled) return (null, [], "BTC close: disabled", null);
        var sessions = new List<DateOnly> { session };
        if (!request.DryRun && recorded is null)
        {
            sessions = await SessionsMissingCloseAsync(session, request.BackfillClosesFrom, cancellationToken).ConfigureAwait(false);
        }

        var closes = new List<BtcClose>();
        try
        {
            IVenueDocuments documents = recorded is not null ? recorded : services.GetRequiredService<CoinbaseHttpClient>();
            foreach (var (start, end) in BtcCloses.Windows(sessions))
            {
                var candles = BtcCloses.ParseCandles(await documents.GetAsync(BtcCloses.Request(O.BtcClose, start, end), cancellationToken).ConfigureAwait(false));
                closes.AddRange(BtcCloses.ClosesOf(sessions, candles, "coinbase " + O.BtcClose.Product + " 1h"));
            }
        }
        catch (VenueRequestException ex) when (ex.Kind == VenueErrorKind.NotRecorded)
        {
            return (null, [], "BTC close: no candle recording (coinbase_products_BTC-USD_candles_1h.json)", null);
        }
        catch (VenueRequestException ex)
        {
            return (null, [], "BTC close: " + ex.Message, Run(CloseDataset, "coinbase", ex.Kind == VenueErrorKind.Blocked ? RunOutcome.SourceBlocked : RunOutcome.Failed, started, error: ex.Message));
        }
        catch (VenueFormatException ex)
        {
            return (null, [], "BTC close: " + ex.Message, Run(CloseDataset, "coinbase", RunOutcome.ParseFailed, started, error: ex.Message));
        }

        var distinct = closes.GroupBy(c => c.Session).Select(g => g.First()).OrderBy(c => c.Session).ToList();
        var current = distinct.FirstOrDefault(c => c.Session == session);
        var missing = sessions.Count - distinct.Count;
        var note = current is null ? string.Create(CultureInfo.InvariantCulture, $"BTC close: no candle for the {session:yyyy-MM-dd} close") : null;
        var outcome = missing == 0 ? RunOutcome.Succeeded : RunOutcome.Partial;
        return (current, distinct, note, Run(CloseDataset, "coinbase", outcome, started, fetched: distinct.Count, error: missing == 0 ? null : $"{missing} of {sessions.Count} session closes not in the candles"));
    }

    private async Task<List<DateOnly>> SessionsMissingCloseAsync(DateOnly session, DateOnly? from, CancellationToken cancellationToken)
    {
        var start = session;
        if (from is { } f && f < session) start = f;
        else
        {
            for (var i = 0; i < O.BtcClose.BackfillSessions; i++) start = calendar.PreviousSession(start);
        }

        var stored = await services.GetRequiredService<DerivativesDailyStore>().GetRangeAsync(start, session, cancellationToken).ConfigureAwait(false);
        var have = stored.Where(d => d.BtcCloseUsd is not null).Select(d => d.Session).ToHashSet();
        var missing = calendar.Sessions(start, session).Where(s => !have.Contains(s)).ToList();
        if (!missing.Contains(session)) missing.Add(session);
        return missing;
    }

    /// <summary>Inserts the snapshot, or fills what the stored one lacks; the close is always allowed in.</summary>
    private async Task<(string Action, DerivativesDaily? Snapshot, bool Enqueue)> StoreSnapshotAsync(DateOnly session, DerivativesDaily? candidate, BtcClose? close, DateTimeOffset asOf, DateTimeOffset closeUtc, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredService<DerivativesDailyStore>();
        candidate ??= close is null ? null : new DerivativesDaily { Session = session, AsOfUtc = asOf, BtcCloseUsd = close.CloseUsd };
        if (candidate is null) return (SkipReason(asOf, closeUtc, session), null, false);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var existing = await store.GetAsync(session, cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                if (await store.TryAddAsync(candidate, cancellationToken).ConfigureAwait(false))
                {
                    return ("inserted", candidate, HasRuleInputs(candidate));
                }

                continue;
            }

            var (current, etag) = existing.Value;
            var merged = Merge(current, candidate);
            if (DerivativesDailyStore.SameValues(current, merged)) return ("unchanged", current, false);
            try
            {
                await store.ReplaceAsync(merged, etag, cancellationToken).ConfigureAwait(false);
                return ("updated", merged, RuleInputsChanged(current, merged));
            }
            catch (Azure.RequestFailedException ex) when (ex.Status == 412)
            {
                // Someone else wrote it in between: read again and merge.
            }
        }

        return ("skipped: concurrent writers", null, false);
    }

    private string SkipReason(DateTimeOffset asOf, DateTimeOffset closeUtc, DateOnly session) => string.Create(
        CultureInfo.InvariantCulture,
        $"skipped: reading at {asOf:yyyy-MM-dd HH:mm}Z is not within {O.SnapshotWindowMinutes} min after the {session:yyyy-MM-dd} close ({closeUtc:HH:mm}Z)");

    internal static DerivativesDaily Snapshot(DateOnly session, DerivativesReading reading, CmeOpenInterest? cme, BtcClose? close) => new()
    {
        Session = session,
        AsOfUtc = reading.AsOfUtc,
        Basis3mAnnualizedPct = reading.Basis3mAnnualizedPct,
        FundingAnnualizedPct = reading.FundingAnnualizedPct,
        OffshoreOpenInterestBtc = reading.OffshoreOpenInterestBtc,
        OffshoreOpenInterestUsd = reading.OffshoreOpenInterestUsd,
        OffshoreOpenInterestChange5SessionsPct = reading.OpenInterestChange5Sessions?.ChangePct,
        CmeOpenInterestBtc = cme?.OpenInterestBtc,
        CmeOpenInterestChangeBtc = cme?.ChangeBtc,
        CmeReportDate = cme?.ReportDate,
        BtcCloseUsd = close?.CloseUsd,
        Venues = reading.Venues.Where(v => v.Usable && !v.Reading!.ReportedAlongside).Select(v => v.Venue).ToList(),
        FundingVenues = reading.FundingVenues,
        BasisVenues = reading.BasisVenues,
        OpenInterestVenues = reading.OpenInterestVenues,
    };

    /// <summary>The stored snapshot stays; only its missing values are filled from the newer candidate.</summary>
    internal static DerivativesDaily Merge(DerivativesDaily current, DerivativesDaily candidate)
    {
        var onlyClose = current.Basis3mAnnualizedPct is null && current.FundingAnnualizedPct is null && current.OffshoreOpenInterestBtc is null && current.CmeOpenInterestBtc is null;
        return current with
        {
            AsOfUtc = onlyClose && HasRuleInputs(candidate) ? candidate.AsOfUtc : current.AsOfUtc,
            Basis3mAnnualizedPct = current.Basis3mAnnualizedPct ?? candidate.Basis3mAnnualizedPct,
            FundingAnnualizedPct = current.FundingAnnualizedPct ?? candidate.FundingAnnualizedPct,
            OffshoreOpenInterestBtc = current.OffshoreOpenInterestBtc ?? candidate.OffshoreOpenInterestBtc,
            OffshoreOpenInterestUsd = current.OffshoreOpenInterestUsd ?? candidate.OffshoreOpenInterestUsd,
            OffshoreOpenInterestChange5SessionsPct = current.OffshoreOpenInterestChange5SessionsPct ?? candidate.OffshoreOpenInterestChange5SessionsPct,
            CmeOpenInterestBtc = current.CmeOpenInterestBtc ?? candidate.CmeOpenInterestBtc,
            CmeOpenInterestChangeBtc = current.CmeOpenInterestBtc is null ? candidate.CmeOpenInterestChangeBtc : current.CmeOpenInterestChangeBtc,
            CmeReportDate = current.CmeOpenInterestBtc is null ? candidate.CmeReportDate : current.CmeReportDate,
            BtcCloseUsd = current.BtcCloseUsd ?? candidate.BtcCloseUsd,
            Venues = current.Venues.Union(candidate.Venues, StringComparer.Ordinal).ToList(),
            FundingVenues = current.FundingAnnualizedPct is null ? candidate.FundingVenues : current.FundingVenues,
            BasisVenues = current.Basis3mAnnualizedPct is null ? candidate.BasisVenues : current.BasisVenues,
            OpenInterestVenues = current.OffshoreOpenInterestBtc is null ? candidate.OpenInterestVenues : current.OpenInterestVenues,
        };
    }

    private static bool HasRuleInputs(DerivativesDaily d) =>
        d.Basis3mAnnualizedPct is not null || d.FundingAnnualizedPct is not null || d.OffshoreOpenInterestBtc is not null || d.CmeOpenInterestBtc is not null;

    /// <summary>The BTC close is not a rule input: backfilling it does not ask for an evaluation.</summary>
    private static bool RuleInputsChanged(DerivativesDaily a, DerivativesDaily b) =>
        a.Basis3mAnnualizedPct != b.Basis3mAnnualizedPct || a.FundingAnnualizedPct != b.FundingAnnualizedPct
        || a.OffshoreOpenInterestBtc != b.OffshoreOpenInterestBtc || a.OffshoreOpenInterestChange5SessionsPct != b.OffshoreOpenInterestChange5SessionsPct
        || a.CmeOpenInterestBtc != b.CmeOpenInterestBtc || a.CmeOpenInterestChangeBtc != b.CmeOpenInterestChangeBtc;

    private IngestionRun VenueRun(VenueOutcome o, DateTimeOffset started) => Run(
        Dataset + "-" + o.Venue,
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

    private IngestionRun CompositeRun(DerivativesReading reading, DateTimeOffset started, int inserted, int unchanged, string action, bool enqueued)
    {
        var usable = reading.Venues.Count(v => v.Usable);
        var outcome = usable == 0
            ? reading.Venues.Count > 0 && reading.Venues.All(v => v.Status == VenueStatus.Blocked) ? RunOutcome.SourceBlocked : RunOutcome.Failed
            : reading.Venues.All(v => v.Status == VenueStatus.Ok) ? RunOutcome.Succeeded : RunOutcome.Partial;
        // Details are in each venue's own record; the composite names who is missing.
        var problems = reading.Venues.Where(v => v.Status != VenueStatus.Ok).Select(v => $"{v.Venue} {v.Status}").ToList();
        var source = "composite of " + (usable == 0 ? "no venue" : string.Join(',', reading.Venues.Where(v => v.Usable).Select(v => v.Venue)));
        return Run(Dataset, source, outcome, started, fetched: usable, inserted: inserted, unchanged: unchanged,
            updated: action == "updated" ? 1 : 0, error: problems.Count == 0 ? null : "left out: " + string.Join(", ", problems), enqueued: enqueued);
    }

    private IngestionRun Run(string dataset, string source, RunOutcome outcome, DateTimeOffset started, int fetched = 0, int inserted = 0, int updated = 0, int unchanged = 0, string? error = null, bool enqueued = false) => new()
    {
        Dataset = dataset,
        Source = source,
        Outcome = outcome,
        StartedUtc = started,
        FinishedUtc = time.GetUtcNow(),
        Fetched = fetched,
        Inserted = inserted,
        Updated = updated,
        Unchanged = unchanged,
        Error = error,
        EvaluationEnqueued = enqueued,
    };

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
