using System.Globalization;
using Tapewatch.Core.Csv;

namespace Tapewatch.Core.Evidence;

/// <summary>One perpetual funding print: the rate per 8 hours as a fraction (0.0001 = 0.01 %).</summary>
public sealed record FundingPrint(DateTimeOffset TimeUtc, decimal Rate);

/// <summary>Where a series comes from and which dates it covers.</summary>
public sealed record SeriesCoverage(string Source, DateOnly From, DateOnly To, int Points);

/// <summary>BTC daily closes and funding history: what the backtest's evidence is computed from.</summary>
public sealed record BtcHistory
{
    public required IReadOnlyDictionary<DateOnly, decimal> Closes { get; init; }

    public required string ClosesSource { get; init; }

    /// <summary>Ordered by time.</summary>
    public IReadOnlyList<FundingPrint> Funding { get; init; } = [];

    public string? FundingSource { get; init; }

    public SeriesCoverage? ClosesCoverage => Closes.Count == 0 ? null : new(ClosesSource, Closes.Keys.Min(), Closes.Keys.Max(), Closes.Count);

    public SeriesCoverage? FundingCoverage => Funding.Count == 0 || FundingSource is null
        ? null
        : new(FundingSource, DateOnly.FromDateTime(Funding[0].TimeUtc.UtcDateTime), DateOnly.FromDateTime(Funding[^1].TimeUtc.UtcDateTime), Funding.Count);

    /// <summary>These closes, extended and overridden by <paramref name="newer"/> (e.g. stored 16:00 New York closes).</summary>
    public BtcHistory WithCloses(IReadOnlyDictionary<DateOnly, decimal> newer, string source)
    {
        if (newer.Count == 0) return this;
        var merged = new Dictionary<DateOnly, decimal>(Closes);
        foreach (var (date, close) in newer) merged[date] = close;
        return this with { Closes = merged, ClosesSource = Closes.Count == 0 ? source : $"{ClosesSource} + {source}" };
    }
}

/// <summary>
/// Reads the two history files: <c>date,close</c> (a positive close per date) and <c>time_utc,rate</c> (ISO 8601 UTC
/// time, rate per 8 h as a fraction, exponents allowed). A bad row fails the whole file with its line number: nothing is
/// guessed and nothing is silently dropped. Cells may be quoted (RFC 4180, read by Sep); a quoted close may group
/// thousands only where that cannot be a decimal comma (<see cref="ThousandsSeparators"/>), and a row running over
/// several lines fails the file.
/// </summary>
public static class BtcHistoryCsv
{
    public static (Dictionary<DateOnly, decimal>? Closes, string? Problem) ParseCloses(TextReader reader)
    {
        var closes = new Dictionary<DateOnly, decimal>();
        var problem = ReadRows(reader, "date", "'date,close'", (cells, line) =>
        {
            if (!DateOnly.TryParseExact(cells[0].Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                || !ThousandsSeparators.TryRemove(cells[1].Trim(), out var closeText)
                || !decimal.TryParse(closeText, NumberStyles.Number, CultureInfo.InvariantCulture, out var close) || close <= 0)
            {
                return $"line {line} is not 'yyyy-MM-dd,<positive close>'";
            }

            closes[date] = close;
            return null;
        });
        return problem is null ? (closes, null) : (null, problem);
    }

    public static (List<FundingPrint>? Funding, string? Problem) ParseFunding(TextReader reader)
    {
        var prints = new List<FundingPrint>();
        var problem = ReadRows(reader, "time_utc", "'time_utc,rate'", (cells, line) =>
        {
            if (!DateTimeOffset.TryParse(cells[0].Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
                || !decimal.TryParse(cells[1].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var rate)
                || Math.Abs(rate) > 0.05m) // 5 % per 8 h: no real funding print comes near; a unit mix-up (percent) does
            {
                return $"line {line} is not '<UTC time>,<rate per 8 h as a fraction>'";
            }

            prints.Add(new FundingPrint(time, rate));
            return null;
        });
        return problem is null ? ([.. prints.OrderBy(p => p.TimeUtc)], null) : (null, problem);
    }

    private static string? ReadRows(TextReader reader, string firstColumn, string shape, Func<string[], int, string?> row)
    {
        using var csv = new CsvRecordReader(reader);
        var header = csv.Next();
        if (header?.SpansLines == true) return header.RunsOn;
        if (header is not { Cells.Length: >= 2 } || !header.Cells[0].Trim().Equals(firstColumn, StringComparison.OrdinalIgnoreCase)) return $"the header must be {shape}";
        while (csv.Next() is { } record)
        {
            if (record.IsBlank) continue;
            if (record.SpansLines) return record.RunsOn;
            if (record.Cells.Length < 2) return $"line {record.Line} has fewer than two columns";
            if (row(record.Cells, record.Line) is { } problem) return problem;
        }

        return null;
    }
}
