using System.Globalization;
using System.Text.Json;
using Tapewatch.Core.Csv;

namespace Tapewatch.Core.Derivatives;

/// <summary>One Commitments of Traders row: open interest (contracts) of one CFTC contract market on one report date.</summary>
/// <param name="Expiry">Null for COT rows (already all expiries); set when a source reports per expiry.</param>
public sealed record CotRow(DateOnly ReportDate, string Code, long OpenInterest, long? ChangeInOpenInterest, string Market, DateOnly? Expiry = null);

/// <summary>
/// CFTC legacy futures-only Commitments of Traders for CME Bitcoin (133741, 5 BTC per contract) and Micro Bitcoin
/// (133742, 0.1 BTC). Reads the annual/weekly CSV (quoted names, right-aligned numbers padded with spaces, codes
/// with trailing spaces; RFC 4180 quoting, read by Sep) and the public-reporting (Socrata) JSON.
/// </summary>
public static class CftcCot
{
    public const string BitcoinCode = "133741";
    public const string MicroBitcoinCode = "133742";

    public static readonly IReadOnlyDictionary<string, decimal> BtcPerContract = new Dictionary<string, decimal>(StringComparer.Ordinal)
    {
        [BitcoinCode] = 5m,
        [MicroBitcoinCode] = 0.1m,
    };

    /// <summary>The Socrata query for the last <paramref name="reports"/> reports of both contracts.</summary>
    public static VenueRequest Request(CftcOptions options, int reports = 4) => new(
        "cftc",
        options.BaseUrl,
        $"/resource/{options.Dataset}.json",
        [
            new("$select", "report_date_as_yyyy_mm_dd,cftc_contract_market_code,market_and_exchange_names,open_interest_all,change_in_open_interest_all"),
            new("$where", $"cftc_contract_market_code in('{BitcoinCode}','{MicroBitcoinCode}')"),
            new("$order", "report_date_as_yyyy_mm_dd DESC"),
            new("$limit", (reports * 2).ToString(CultureInfo.InvariantCulture)),
        ],
        "bitcoin");

    public static IReadOnlyList<CotRow> Parse(string text) =>
        text.TrimStart().StartsWith('[') || text.TrimStart().StartsWith('{') ? ParseJson(text) : ParseCsv(text);

    public static IReadOnlyList<CotRow> ParseJson(string json)
    {
        using var doc = VenueJson.Parse(json, "cftc");
        var rows = new List<CotRow>();
        foreach (var x in VenueJson.Array(doc.RootElement, "cftc").EnumerateArray())
        {
            var code = (VenueJson.String(x, "cftc_contract_market_code") ?? "").Trim();
            if (!BtcPerContract.ContainsKey(code)) continue;
            var dateText = VenueJson.String(x, "report_date_as_yyyy_mm_dd") ?? throw new VenueFormatException("cftc: 'report_date_as_yyyy_mm_dd' is missing");
            if (!DateTime.TryParse(dateText, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date))
            {
                throw new VenueFormatException($"cftc: bad report date '{dateText}'");
            }

            rows.Add(new CotRow(
                DateOnly.FromDateTime(date),
                code,
                OpenInterest(VenueJson.WholeNumber(VenueJson.Decimal(x, "open_interest_all") ?? throw new VenueFormatException("cftc: 'open_interest_all' is missing"), "cftc open_interest_all")),
                VenueJson.Decimal(x, "change_in_open_interest_all") is { } c ? VenueJson.WholeNumber(c, "cftc change_in_open_interest_all") : null,
                (VenueJson.String(x, "market_and_exchange_names") ?? "").Trim()));
        }

        return rows;
    }

    /// <summary>Open interest counts contracts: a negative one is a broken answer (it would read as a bleed of CME open interest).</summary>
    private static long OpenInterest(long contracts) =>
        contracts >= 0 ? contracts : throw new VenueFormatException(string.Create(CultureInfo.InvariantCulture, $"cftc open_interest_all: negative ({contracts})"));

    /// <summary>The CFTC CSV layout (with its header row, as in the annual files).</summary>
    public static IReadOnlyList<CotRow> ParseCsv(string text)
    {
        using var csv = new CsvRecordReader(text);
        var header = csv.Next() ?? throw new VenueFormatException("cftc: empty file");
        if (header.SpansLines) throw new VenueFormatException($"cftc: the header runs on to line {header.LastLine} {CsvRecord.RunOnCause}");
        var columns = header.Cells.Select(h => h.Trim()).ToList();
        int Col(string name)
        {
            var i = columns.FindIndex(c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase));
            return i >= 0 ? i : throw new VenueFormatException($"cftc: column '{name}' is missing");
        }

        var iName = Col("Market and Exchange Names");
        var iDate = Col("As of Date in Form YYYY-MM-DD");
        var iCode = Col("CFTC Contract Market Code");
        var iOi = Col("Open Interest (All)");
        var iChange = columns.FindIndex(c => string.Equals(c, "Change in Open Interest (All)", StringComparison.OrdinalIgnoreCase));
        var rows = new List<CotRow>();
        while (csv.Next() is { } record)
        {
            if (record.IsBlank) continue;
            var lineNo = record.Line;

            // Whatever its contract: an open quote would swallow the bitcoin rows after it unseen.
            if (record.SpansLines) throw new VenueFormatException("cftc: " + record.RunsOn);
            var f = record.Cells;
            if (f.Length <= Math.Max(Math.Max(iOi, iName), Math.Max(iCode, iDate))) throw new VenueFormatException($"cftc: line {lineNo} has {f.Length} fields");
            var code = f[iCode].Trim();
            if (!BtcPerContract.ContainsKey(code)) continue;
            if (!DateOnly.TryParseExact(f[iDate].Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                throw new VenueFormatException($"cftc: line {lineNo}: bad date '{f[iDate].Trim()}'");
            }

            if (!long.TryParse(f[iOi].Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var oi) || oi < 0)
            {
                throw new VenueFormatException($"cftc: line {lineNo}: bad open interest '{f[iOi].Trim()}'");
            }

            long? change = iChange >= 0 && iChange < f.Length && long.TryParse(f[iChange].Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ch) ? ch : null;
            rows.Add(new CotRow(date, code, oi, change, f[iName].Trim()));
        }

        return rows;
    }

    /// <summary>Contracts of one code on one report date, over its rows (expiries); beyond a long is a broken answer, not an overflow.</summary>
    private static long SumContracts(IEnumerable<CotRow> rows, DateOnly date)
    {
        try
        {
            return rows.Sum(r => r.OpenInterest);
        }
        catch (OverflowException)
        {
            throw new VenueFormatException(string.Create(CultureInfo.InvariantCulture, $"cftc: open interest of {date:yyyy-MM-dd} is out of range"));
        }
    }

    /// <summary>
    /// CME open interest in BTC for the latest report, summed over every expiry and both contracts (so a roll, where
    /// front-month OI moves to the next month, is not a bleed), and its change from the previous report computed over
    /// the contracts present in both reports. With a single report, the report's own "change" column is used.
    /// </summary>
    public static CmeOpenInterest? Compute(IEnumerable<CotRow> rows)
    {
        var notes = new List<string>();
        var unique = new Dictionary<(DateOnly, string, DateOnly?), CotRow>();
        foreach (var r in rows.Where(r => BtcPerContract.ContainsKey(r.Code)))
        {
            var key = (r.ReportDate, r.Code, r.Expiry);
            if (unique.TryGetValue(key, out var seen))
            {
                if (seen.OpenInterest != r.OpenInterest) notes.Add($"conflicting rows for {r.Code} on {r.ReportDate:yyyy-MM-dd}: {seen.OpenInterest} kept, {r.OpenInterest} ignored");
                continue;
            }

            unique[key] = r;
        }

        var byDate = unique.Values.GroupBy(r => r.ReportDate).OrderByDescending(g => g.Key).ToList();
        if (byDate.Count == 0) return null;
        var latest = byDate[0];
        var contracts = latest.GroupBy(r => r.Code).ToDictionary(g => g.Key, g => SumContracts(g, latest.Key), StringComparer.Ordinal);
        var totalBtc = contracts.Sum(kv => kv.Value * BtcPerContract[kv.Key]);
        foreach (var code in BtcPerContract.Keys.Where(c => !contracts.ContainsKey(c))) notes.Add($"{code} missing from the {latest.Key:yyyy-MM-dd} report");

        decimal? change = null;
        DateOnly? previousDate = null;
        if (byDate.Count > 1)
        {
            var previous = byDate[1];
            previousDate = previous.Key;
            var before = previous.GroupBy(r => r.Code).ToDictionary(g => g.Key, g => SumContracts(g, previous.Key), StringComparer.Ordinal);
            var common = contracts.Keys.Intersect(before.Keys).ToList();
            if (common.Count > 0)
            {
                // In decimal: a long subtraction of hostile counts would wrap around silently.
                change = common.Sum(c => ((decimal)contracts[c] - before[c]) * BtcPerContract[c]);
                if (common.Count < contracts.Count || common.Count < before.Count) notes.Add($"change over {string.Join('+', common)} only (like for like)");
            }
        }
        else if (latest.All(r => r.ChangeInOpenInterest is not null))
        {
            change = latest.Sum(r => r.ChangeInOpenInterest!.Value * BtcPerContract[r.Code]);
            previousDate = latest.Key.DayNumber >= 7 ? latest.Key.AddDays(-7) : null; // a report "of 0001-01-01" has no week before it
            notes.Add("change from the report's own 'Change in Open Interest' column");
        }

        return new CmeOpenInterest
        {
            ReportDate = latest.Key,
            OpenInterestBtc = totalBtc,
            PreviousReportDate = previousDate,
            ChangeBtc = change,
            Contracts = contracts,
            Notes = notes,
        };
    }
}
