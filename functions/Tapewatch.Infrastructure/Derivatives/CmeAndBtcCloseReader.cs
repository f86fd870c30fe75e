using System.Globalization;
using Microsoft.Extensions.Options;
using Tapewatch.Core.Derivatives;
using Tapewatch.Infrastructure.Ingestion;

namespace Tapewatch.Infrastructure.Derivatives;

/// <summary>CME open interest (CFTC Commitments of Traders) and the BTC close at the US close: the close run's daily facts.</summary>
public sealed class CmeAndBtcCloseReader(
    CftcHttpClient cftc,
    CoinbaseHttpClient coinbase,
    IOptions<DerivativesOptions> options,
    TimeProvider time)
{
    private DerivativesOptions O => options.Value;

    public async Task<(CmeOpenInterest? Cme, string? Note, IngestionRun? Run)> ReadCmeAsync(string? cftcFile, RecordedVenueDocuments? recorded, DateOnly session, DateTimeOffset started, CancellationToken cancellationToken)
    {
        string? text = null;
        string source;
        try
        {
            if (cftcFile is not null)
            {
                source = "file";
                text = await File.ReadAllTextAsync(cftcFile, cancellationToken).ConfigureAwait(false);
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
                text = await cftc.GetAsync(CftcCot.Request(O.Cftc), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                return (null, "CME: CFTC disabled", null);
            }
        }
        catch (VenueRequestException ex)
        {
            return (null, "CME: " + ex.Message, Run(DerivativesIngestion.CftcDataset, "cftc", ex.Kind == VenueErrorKind.Blocked ? RunOutcome.SourceBlocked : RunOutcome.Failed, started, error: ex.Message));
        }

        try
        {
            var rows = CftcCot.Parse(text);
            var cme = CftcCot.Compute(rows);
            if (cme is null) return (null, "CME: no Bitcoin rows in the CFTC answer", Run(DerivativesIngestion.CftcDataset, source, RunOutcome.ParseFailed, started, error: "no rows for 133741/133742"));
            var run = Run(DerivativesIngestion.CftcDataset, source, RunOutcome.Succeeded, started, fetched: rows.Count);
            if (cme.ReportDate < session.AddDays(-O.Cftc.MaxReportAgeDays))
            {
                return (null, string.Create(CultureInfo.InvariantCulture, $"CME: latest CFTC report ({cme.ReportDate:yyyy-MM-dd}) is older than {O.Cftc.MaxReportAgeDays} days before {session:yyyy-MM-dd}; not used"), run);
            }

            return (cme, null, run);
        }
        catch (VenueFormatException ex)
        {
            return (null, "CME: " + ex.Message, Run(DerivativesIngestion.CftcDataset, source, RunOutcome.ParseFailed, started, error: ex.Message));
        }
    }

    /// <summary>Reads the closes of <paramref name="sessions"/>; the one of <paramref name="session"/> is the current close.</summary>
    public async Task<(BtcClose? Close, IReadOnlyList<BtcClose> All, string? Note, IngestionRun? Run)> ReadClosesAsync(IReadOnlyList<DateOnly> sessions, RecordedVenueDocuments? recorded, DateOnly session, DateTimeOffset started, CancellationToken cancellationToken)
    {
        var closes = new List<BtcClose>();
        try
        {
            IVenueDocuments documents = recorded is not null ? recorded : coinbase;
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
            return (null, [], "BTC close: " + ex.Message, Run(DerivativesIngestion.CloseDataset, "coinbase", ex.Kind == VenueErrorKind.Blocked ? RunOutcome.SourceBlocked : RunOutcome.Failed, started, error: ex.Message));
        }
        catch (VenueFormatException ex)
        {
            return (null, [], "BTC close: " + ex.Message, Run(DerivativesIngestion.CloseDataset, "coinbase", RunOutcome.ParseFailed, started, error: ex.Message));
        }

        var distinct = closes.GroupBy(c => c.Session).Select(g => g.First()).OrderBy(c => c.Session).ToList();
        var current = distinct.FirstOrDefault(c => c.Session == session);
        var missing = sessions.Count - distinct.Count;
        var note = current is null ? string.Create(CultureInfo.InvariantCulture, $"BTC close: no candle for the {session:yyyy-MM-dd} close") : null;
        var outcome = missing == 0 ? RunOutcome.Succeeded : RunOutcome.Partial;
        return (current, distinct, note, Run(DerivativesIngestion.CloseDataset, "coinbase", outcome, started, fetched: distinct.Count, error: missing == 0 ? null : $"{missing} of {sessions.Count} session closes not in the candles"));
    }

    private IngestionRun Run(string dataset, string source, RunOutcome outcome, DateTimeOffset started, int fetched = 0, string? error = null) =>
        IngestionRecorder.NewRun(time, dataset, source, outcome, started, fetched: fetched, error: error);
}
