using System.Globalization;
using System.Text.Json;

namespace Tapewatch.Core.Derivatives.Venues;

/// <summary>
/// Kraken Futures tickers: PF_XBTUSD (linear, 1 contract = 1 BTC, open interest in BTC). Its <c>fundingRate</c> is
/// ABSOLUTE (USD per contract per hourly period), not relative: it is normalised by the index price
/// (relative = absolute / index) and scaled from 1 h to 8 h; without a price, or when implausible after
/// normalising, it is rejected with the reason. No dated futures are read.
/// </summary>
public sealed class KrakenVenue : DerivativesVenue
{
    public const string Symbol = "PF_XBTUSD";

    public override string Name => "kraken";

    public override async Task<VenueReading> ReadAsync(IVenueDocuments documents, DerivativesOptions options, CancellationToken cancellationToken)
    {
        var parts = new Parts(Name);
        var ticker = await parts.TryAsync("tickers", async () => ParseTicker(await documents.GetAsync(Request(options.Kraken.BaseUrl, "/derivatives/api/v3/tickers", "XBT") with { RecordedPathAliases = ["futures/v3/tickers"] }, cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);
        if (ticker is null) throw parts.Nothing();

        var index = parts.Plausible(ticker.IndexPrice, "index price", VenueBounds.IsPrice);
        var mark = parts.Plausible(ticker.MarkPrice, "mark price", VenueBounds.IsPrice);
        var openInterest = parts.Plausible(ticker.OpenInterestBtc, "open interest", VenueBounds.IsOpenInterestBtc);
        var (rate8h, note) = NormaliseFunding(ticker.AbsoluteFundingRate, index ?? mark, options.Kraken.FundingIntervalHours, options.MaxAbsFundingRate8h, index is null ? "mark" : "index");
        if (note is not null)
        {
            if (rate8h is null) parts.Reject(note);
            else parts.Note(note);
        }
        var price = mark ?? index;
        var reading = new VenueReading
        {
            Venue = Name,
            AsOfUtc = ticker.Time,
            FundingRate8h = rate8h,
            FundingTimeUtc = rate8h is null ? null : ticker.Time,
            FundingIntervalHours = rate8h is null ? null : options.Kraken.FundingIntervalHours,
            OpenInterestBtc = openInterest,
            OpenInterestUsd = openInterest is { } btc && price is { } p ? Math.Round(btc * p, 0) : null,
            IndexPriceUsd = index,
            Partial = parts.Failed,
            Notes = [.. parts.Notes, "basis: not read from Kraken"],
        };
        parts.EnsureAny(reading);
        return reading;
    }

    public sealed record Ticker(decimal? AbsoluteFundingRate, decimal? OpenInterestBtc, decimal? MarkPrice, decimal? IndexPrice, DateTimeOffset Time);

    /// <summary>Absolute funding (USD per BTC per period) → relative per 8h, or null and the reason it was rejected.</summary>
    public static (decimal? Rate8h, string? Note) NormaliseFunding(decimal? absolute, decimal? price, decimal intervalHours, decimal maxAbsRate8h, string priceName = "index")
    {
        if (absolute is null) return (null, "funding: no fundingRate");
        if (price is not > 0) return (null, "funding rejected: Kraken's fundingRate is absolute (USD per contract) and no price is available to normalise it");
        if (intervalHours <= 0) return (null, "funding rejected: no funding interval configured");
        // A hostile absolute rate (7.9e28) over a price would overflow: that is beyond any plausible rate too.
        if (DecimalMath.Divide(absolute.Value, price.Value) is not { } relative || DecimalMath.Multiply(relative, 8m) is not { } scaled || DecimalMath.Divide(scaled, intervalHours) is not { } per8h)
        {
            return (null, string.Create(CultureInfo.InvariantCulture, $"funding rejected: absolute {absolute} over price {price} is out of range"));
        }

        if (Math.Abs(per8h) > maxAbsRate8h)
        {
            return (null, string.Create(CultureInfo.InvariantCulture, $"funding rejected: absolute {absolute} normalises to {per8h:0.######} per 8h, beyond the plausible ±{maxAbsRate8h}"));
        }

        return (per8h, string.Create(CultureInfo.InvariantCulture, $"funding: absolute {absolute:0.########} USD/BTC per {intervalHours:0.#}h normalised by {priceName} {price}"));
    }

    public static Ticker ParseTicker(string json)
    {
        using var doc = VenueJson.Parse(json, "kraken tickers");
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new VenueFormatException("kraken tickers: expected an object");
        if (VenueJson.String(root, "result") is { } result && result != "success") throw new VenueFormatException($"kraken tickers: result {result} {VenueJson.String(root, "error")}");
        var row = VenueJson.Array(VenueJson.Property(root, "tickers", "kraken tickers"), "kraken tickers").EnumerateArray()
            .FirstOrDefault(t => string.Equals(VenueJson.String(t, "symbol"), Symbol, StringComparison.OrdinalIgnoreCase));
        if (row.ValueKind != JsonValueKind.Object) throw new VenueFormatException($"kraken tickers: no {Symbol}");
        // serverTime is the data's time; recordings without it fall back to the last trade time.
        var time = VenueJson.String(root, "serverTime") is { } st && DateTimeOffset.TryParse(st, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var s)
            ? s
            : VenueJson.String(row, "lastTime") is { } lt && DateTimeOffset.TryParse(lt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t
            : throw new VenueFormatException("kraken tickers: no time");
        return new Ticker(
            VenueJson.Decimal(row, "fundingRate"),
            VenueJson.Decimal(row, "openInterest"),
            VenueJson.Decimal(row, "markPrice"),
            VenueJson.Decimal(row, "indexPrice"),
            time.ToUniversalTime());
    }
}
