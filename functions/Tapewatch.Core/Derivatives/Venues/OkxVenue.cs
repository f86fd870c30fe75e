using System.Text.Json;

namespace Tapewatch.Core.Derivatives.Venues;

/// <summary>
/// OKX: BTC-USDT-SWAP funding (settled rate, interval from fundingTime − prevFundingTime) and open interest
/// (oiCcy = BTC, oiUsd), BTC-USD futures mark prices against the BTC-USD index for the basis. Accepts the REST
/// envelope {"code":"0","data":[…]} and websocket pushes [{"arg":…,"data":[…]}]; "" means no value.
/// </summary>
public sealed class OkxVenue : DerivativesVenue
{
    private const string Swap = "BTC-USDT-SWAP";

    public override string Name => "okx";

    public override async Task<VenueReading> ReadAsync(IVenueDocuments documents, DerivativesOptions options, CancellationToken cancellationToken)
    {
        var baseUrl = options.Okx.BaseUrl;
        var parts = new Parts(Name);
        var funding = await parts.TryAsync("funding-rate", async () => ParseFunding(await documents.GetAsync(Request(baseUrl, "/api/v5/public/funding-rate", Swap, ("instId", Swap)) with { RecordedPathAliases = ["ws/funding-rate"] }, cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);
        var oi = await parts.TryAsync("open-interest", async () => ParseOpenInterest(await documents.GetAsync(Request(baseUrl, "/api/v5/public/open-interest", Swap, ("instType", "SWAP"), ("instId", Swap)) with { RecordedPathAliases = ["ws/open-interest"] }, cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);
        var futures = await parts.TryAsync("mark-price", async () => ParseFuturesMarks(await documents.GetAsync(Request(baseUrl, "/api/v5/public/mark-price", "BTC-USD", ("instType", "FUTURES"), ("instFamily", "BTC-USD")), cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);
        var index = await parts.TryAsync("index-tickers", async () => ParseIndex(await documents.GetAsync(Request(baseUrl, "/api/v5/market/index-tickers", "BTC-USD", ("instId", "BTC-USD")), cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);

        var indexPrice = parts.Plausible(index?.Price, "index price", VenueBounds.IsPrice);
        BasisResult? basis = null;
        if (futures is not null && index is not null && indexPrice is { } spot)
        {
            basis = BasisMath.ThreeMonth(futures, spot, index.At, options.BasisMethod, options.MinBasisDays);
            if (basis is null) parts.Note("basis: no BTC-USD quarterly beyond the minimum days to expiry");
            basis = parts.Plausible(basis);
        }

        var asOf = oi?.At ?? index?.At ?? funding?.Observation.AtUtc ?? throw parts.Nothing();
        var openInterest = parts.Plausible(oi?.Btc, "open interest", VenueBounds.IsOpenInterestBtc);
        var funding8h = parts.Funding8h(funding?.Observation, options.MaxAbsFundingRate8h);
        var reading = new VenueReading
        {
            Venue = Name,
            AsOfUtc = asOf,
            FundingRate8h = funding8h,
            FundingTimeUtc = funding8h is null ? null : funding!.Observation.AtUtc,
            FundingIntervalHours = funding8h is null ? null : (decimal)funding!.Observation.Interval.TotalHours,
            OpenInterestBtc = openInterest,
            OpenInterestUsd = openInterest is null ? null : parts.Plausible(oi!.Usd, "open interest (USD)", VenueBounds.IsOpenInterestUsd) ?? (indexPrice is { } px ? Math.Round(openInterest.Value * px, 0) : null),
            IndexPriceUsd = indexPrice,
            Basis3mAnnualizedPct = basis?.AnnualizedPct,
            BasisDetail = basis?.Detail,
            Partial = parts.Failed,
            Notes = funding?.Note is { } n ? [.. parts.Notes, n] : parts.Notes,
        };
        parts.EnsureAny(reading);
        return reading;
    }

    public sealed record Funding(FundingObservation Observation, string? Note);

    public sealed record OpenInterest(decimal Btc, decimal? Usd, DateTimeOffset At);

    public sealed record IndexPrice(decimal Price, DateTimeOffset At);

    /// <summary>The data rows of a REST envelope or of websocket pushes (the newest push last).</summary>
    public static List<JsonElement> Data(JsonDocument doc, string what)
    {
        var root = doc.RootElement;
        var rows = new List<JsonElement>();
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("code", out var code))
        {
            var c = code.ValueKind == JsonValueKind.String ? code.GetString() : code.GetRawText();
            if (c != "0") throw new VenueFormatException($"okx {what}: error {c} {VenueJson.String(root, "msg")}");
        }

        IEnumerable<JsonElement> envelopes = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray() : [root];
        foreach (var envelope in envelopes)
        {
            if (envelope.ValueKind != JsonValueKind.Object) throw new VenueFormatException($"okx {what}: unexpected {envelope.ValueKind}");
            if (envelope.TryGetProperty("event", out _)) continue; // subscribe acknowledgements
            rows.AddRange(VenueJson.Array(VenueJson.Property(envelope, "data", "okx " + what), "okx " + what).EnumerateArray());
        }

        if (rows.Count == 0) throw new VenueFormatException($"okx {what}: no data");
        return rows;
    }

    public static Funding ParseFunding(string json)
    {
        using var doc = VenueJson.Parse(json, "okx funding-rate");
        var row = Data(doc, "funding-rate").Where(r => VenueJson.String(r, "instId") is null or Swap).DefaultIfEmpty().MaxBy(r => r.ValueKind == JsonValueKind.Undefined ? default : VenueJson.Millis(r, "ts") ?? default);
        if (row.ValueKind != JsonValueKind.Object) throw new VenueFormatException($"okx: no {Swap} row");
        var fundingTime = VenueJson.Millis(row, "fundingTime");
        var prev = VenueJson.Millis(row, "prevFundingTime");
        var next = VenueJson.Millis(row, "nextFundingTime");
        var interval = fundingTime is { } ft && prev is { } pv && ft > pv ? ft - pv
            : next is { } nx && fundingTime is { } ft2 && nx > ft2 ? nx - ft2
            : TimeSpan.FromHours(8);

        // settFundingRate is the rate of the last (or now settling) settlement; fundingRate is the current period's
        // forecast. Prefer the settled one, like the other venues.
        if (VenueJson.Decimal(row, "settFundingRate") is { } settled)
        {
            return new Funding(new FundingObservation(settled, interval, prev ?? fundingTime ?? VenueJson.Millis(row, "ts") ?? default, "settled"), null);
        }

        var current = VenueJson.Decimal(row, "fundingRate") ?? throw new VenueFormatException("okx funding-rate: neither 'settFundingRate' nor 'fundingRate'");
        return new Funding(new FundingObservation(current, interval, fundingTime ?? VenueJson.Millis(row, "ts") ?? default, "current"), "funding: current period's forecast (no settled rate in the answer)");
    }

    public static OpenInterest ParseOpenInterest(string json)
    {
        using var doc = VenueJson.Parse(json, "okx open-interest");
        var row = Data(doc, "open-interest").Where(r => VenueJson.String(r, "instId") is null or Swap).DefaultIfEmpty().MaxBy(r => r.ValueKind == JsonValueKind.Undefined ? default : VenueJson.Millis(r, "ts") ?? default);
        if (row.ValueKind != JsonValueKind.Object) throw new VenueFormatException($"okx: no {Swap} row");
        return new OpenInterest(
            VenueJson.RequiredDecimal(row, "oiCcy", "okx open-interest"),
            VenueJson.Decimal(row, "oiUsd"),
            VenueJson.Millis(row, "ts") ?? throw new VenueFormatException("okx open-interest: 'ts' is missing"));
    }

    /// <summary>mark-price for FUTURES of the BTC-USD family: instId "BTC-USD-260327" carries the expiry date.</summary>
    public static IReadOnlyList<FuturesQuote> ParseFuturesMarks(string json)
    {
        using var doc = VenueJson.Parse(json, "okx mark-price");
        var quotes = new List<FuturesQuote>();
        foreach (var r in Data(doc, "mark-price"))
        {
            var id = VenueJson.String(r, "instId") ?? "";
            var dash = id.LastIndexOf('-');
            var expiry = dash < 0 ? null : BasisMath.ParseYymmdd(id[(dash + 1)..]);
            if (expiry is null) continue;
            if (VenueJson.Decimal(r, "markPx") is { } px) quotes.Add(new FuturesQuote(id, BasisMath.ExpiryUtc(expiry.Value), px));
        }

        return quotes;
    }

    public static IndexPrice ParseIndex(string json)
    {
        using var doc = VenueJson.Parse(json, "okx index-tickers");
        var row = Data(doc, "index-tickers").First();
        return new IndexPrice(
            VenueJson.RequiredDecimal(row, "idxPx", "okx index-tickers"),
            VenueJson.Millis(row, "ts") ?? throw new VenueFormatException("okx index-tickers: 'ts' is missing"));
    }
}
