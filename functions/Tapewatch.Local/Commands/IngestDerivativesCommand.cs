using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Tapewatch.Infrastructure;
using Tapewatch.Core.Derivatives;
using Tapewatch.Infrastructure.Derivatives;
using Tapewatch.Infrastructure.Api;
using Tapewatch.Local.Hosting;

namespace Tapewatch.Local.Commands;

/// <summary><c>tapewatch ingest derivatives [--recorded DIR] [--dry-run] [--json]</c>.</summary>
internal static class IngestDerivativesCommand
{
    public static Command Create()
    {
        var recorded = new Option<string?>("--recorded") { Description = "Read saved responses from DIR (laid out like tests/data/derivatives/: <venue>_<path>_<symbol>.json) instead of calling the venues; uses whatever venues it finds" };
        var cftc = new Option<string?>("--cftc") { Description = "CFTC Commitments of Traders file (CSV or JSON) to use instead of the public-reporting API" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Read and compute only: store nothing, record no run, enqueue no evaluation" };
        var json = new Option<bool>("--json") { Description = "Print the per-venue and composite readings as JSON" };
        var storage = new Option<string?>("--storage") { Description = "Storage connection string (default: Tapewatch__Storage__ConnectionString)" };
        var mode = new Option<string>("--mode") { Description = "close (venues + CFTC + BTC close + daily snapshot) or hourly (venues only)", DefaultValueFactory = _ => "close" };
        mode.AcceptOnlyFromAmong("close", "hourly");
        var backfill = new Option<string?>("--backfill-closes-from") { Description = "Backfill the BTC close of every session from this date (yyyy-MM-dd)" };
        var command = new Command("derivatives", "Read funding, open interest and the 3-month basis from the venues (and CME open interest from the CFTC), store the hourly reading and the daily snapshot at the US close")
        {
            recorded, cftc, dryRun, json, storage, mode, backfill,
        };
        command.SetAction(async (parse, ct) =>
        {
            var dir = parse.GetValue(recorded);
            if (dir is not null && !Directory.Exists(dir))
            {
                await Console.Error.WriteLineAsync($"error: --recorded: folder not found: {dir}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var cftcFile = parse.GetValue(cftc);
            if (cftcFile is not null && !File.Exists(cftcFile))
            {
                await Console.Error.WriteLineAsync($"error: --cftc: file not found: {cftcFile}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            DateOnly? from = null;
            if (parse.GetValue(backfill) is { } text)
            {
                if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                {
                    await Console.Error.WriteLineAsync("error: --backfill-closes-from must be a date (yyyy-MM-dd)").ConfigureAwait(false);
                    return ExitCodes.Usage;
                }

                from = d;
            }

            var request = new DerivativesRunRequest
            {
                Mode = parse.GetValue(mode) == "hourly" ? DerivativesRunMode.Hourly : DerivativesRunMode.Close,
                RecordedDirectory = dir is null ? null : Path.GetFullPath(dir),
                CftcFile = cftcFile,
                DryRun = parse.GetValue(dryRun),
                BackfillClosesFrom = from,
            };
            return await RunAsync(request, parse.GetValue(storage), parse.GetValue(json), Console.Out, Console.Error, ct).ConfigureAwait(false);
        });
        return command;
    }

    internal static async Task<int> RunAsync(DerivativesRunRequest request, string? storage, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var flags = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        if (storage is not null) flags["Tapewatch:Storage:ConnectionString"] = storage;
        var configuration = LocalConfiguration.Build(flags);
        if (!request.DryRun && string.IsNullOrWhiteSpace(configuration["Tapewatch:Storage:ConnectionString"]) && string.IsNullOrWhiteSpace(configuration["Tapewatch:Storage:TableServiceUri"]))
        {
            await error.WriteLineAsync("error: storage is not configured: pass --storage, set Tapewatch__Storage__ConnectionString, or use --dry-run").ConfigureAwait(false);
            return ExitCodes.Configuration;
        }

        await using var provider = CommandServices.Build(configuration);

        if (request.RecordedDirectory is { } dir && !provider.GetServices<Tapewatch.Core.Derivatives.Venues.DerivativesVenue>().Any(v => new RecordedVenueDocuments(dir).HasVenue(v.Name)))
        {
            await error.WriteLineAsync($"error: --recorded: no venue recordings (binance_…, okx_…, bybit_…, deribit_…, kraken_….json) in {dir}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        DerivativesRunResult result;
        try
        {
            result = await provider.GetRequiredService<DerivativesIngestion>().RunAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (LocalConfiguration.InvalidOptionsMessage(ex) is { } message)
        {
            await error.WriteLineAsync(message).ConfigureAwait(false);
            return ExitCodes.Configuration;
        }
        catch (Azure.RequestFailedException ex)
        {
            await error.WriteLineAsync($"error: storage: {ex.Status} {ex.ErrorCode}").ConfigureAwait(false);
            return ExitCodes.Failed;
        }

        if (json) await output.WriteLineAsync(JsonSerializer.Serialize(result, ApiJson.Options)).ConfigureAwait(false);
        else await output.WriteAsync(Describe(result, request)).ConfigureAwait(false);
        return result.Reading.Venues.Any(v => v.Usable) ? ExitCodes.Ok : ExitCodes.Failed;
    }

    internal static string Describe(DerivativesRunResult result, DerivativesRunRequest request)
    {
        var r = result.Reading;
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine(inv, $"derivatives as of {r.AsOfUtc:yyyy-MM-dd HH:mm:ss}Z{(request.RecordedDirectory is { } d ? $" (recorded: {d})" : "")}");
        sb.AppendLine(inv, $"{"venue",-9} {"status",-9} {"funding/8h",11} {"annual %",9} {"OI BTC",12} {"OI US$ m",10} {"basis 3m %",10}  as of");
        foreach (var v in r.Venues)
        {
            var x = v.Reading;
            sb.AppendLine(inv, $"{v.Venue,-9} {v.Status,-9} {Pct(x?.FundingRate8h, 5),11} {Num(x?.FundingAnnualizedPct, "0.00"),9} {Num(x?.OpenInterestBtc, "#,0.0"),12} {Num(x?.OpenInterestUsd / 1_000_000m, "#,0"),10} {Num(x?.Basis3mAnnualizedPct, "0.00"),10}  {x?.AsOfUtc.ToString("MM-dd HH:mm'Z'", inv) ?? "-"}");
        }

        sb.AppendLine(inv, $"funding:  {Num(r.FundingAnnualizedPct, "0.00")} % annualised ({Pct(r.FundingRate8h, 5)} per 8h), OI-weighted over {List(r.FundingVenues)}");
        sb.AppendLine(inv, $"basis 3m: {Num(r.Basis3mAnnualizedPct, "0.00")} % annualised, mean of {List(r.BasisVenues)}");
        sb.AppendLine(inv, $"OI:       {Num(r.OffshoreOpenInterestBtc, "#,0.0")} BTC (US$ {Num(r.OffshoreOpenInterestUsd / 1_000_000m, "#,0")} m) offshore over {List(r.OpenInterestVenues)}; 5-session change {(r.OpenInterestChange5Sessions is { } c ? c.ChangePct.ToString("+0.00;-0.00", inv) + $" % since {c.ReferenceUtc:yyyy-MM-dd HH:mm}Z over {List(c.Venues)}" : "n/a")}");
        if (result.Cme is { } cme)
        {
            sb.AppendLine(inv, $"CME:      {cme.OpenInterestBtc:#,0.0} BTC (CFTC {cme.ReportDate:yyyy-MM-dd}), change {(cme.ChangeBtc is { } ch ? ch.ToString("+#,0.0;-#,0.0", inv) + " BTC since " + cme.PreviousReportDate?.ToString("yyyy-MM-dd", inv) : "n/a")}");
        }
        else if (result.CmeNote is { } cn)
        {
            sb.AppendLine(cn);
        }

        if (result.Close is { } close) sb.AppendLine(inv, $"BTC close {close.Session:yyyy-MM-dd}: {close.CloseUsd:#,0.00} USD ({close.Source})");
        else if (result.CloseNote is { } closeNote) sb.AppendLine(closeNote);
        sb.AppendLine(inv, $"snapshot {result.Session:yyyy-MM-dd}: {result.SnapshotAction}{(result.EvaluationEnqueued ? "; evaluation requested" : "")}{(result.HourlyRowsWritten > 0 ? $"; {result.HourlyRowsWritten} hourly rows" : "")}{(result.ClosesBackfilled > 0 ? $"; {result.ClosesBackfilled} closes backfilled" : "")}");
        if (r.Notes.Count > 0)
        {
            sb.AppendLine("notes:");
            foreach (var n in r.Notes) sb.AppendLine("  - " + n);
        }

        return sb.ToString();
    }

    private static string Num(decimal? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "-";

    private static string Pct(decimal? fraction, int decimals) => fraction is { } f ? (f * 100m).ToString("0." + new string('0', decimals), CultureInfo.InvariantCulture) + "%" : "-";

    private static string List(IReadOnlyList<string> venues) => venues.Count == 0 ? "no venue" : string.Join(", ", venues);
}
