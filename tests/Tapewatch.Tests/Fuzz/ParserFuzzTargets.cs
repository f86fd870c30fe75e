using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tapewatch.Core.Derivatives;
using Tapewatch.Infrastructure.Derivatives;
using Tapewatch.Core.Derivatives.Venues;
using Tapewatch.Core.Flows;
using Tapewatch.Infrastructure.Flows;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.Core.Time;
using Tapewatch.Core.Weekly;
using Tapewatch.Infrastructure.Weekly;
using Tapewatch.TestSupport;
using static Tapewatch.Tests.Fuzz.Field;

namespace Tapewatch.Tests.Fuzz;

/// <summary>
/// Every parser of outside input, each with its mapping: where each returned value must come from in the input. To fuzz
/// a new parser, add ONE entry to <see cref="All"/>: a name, its seeds (fixtures and tests/data), the parse, and the
/// claims it makes about its input — for JSON an element path and each field's path (<c>Num("fundingRate", f.Rate)</c>,
/// <c>Time("fundingTime", f.AtUtc)</c>, derived fields with their transform); for tables the row and column of each value;
/// for prose the subject of each figure. The harness (<see cref="ParserFuzzTests"/>) does the rest.
/// </summary>
public static partial class ParserFuzzTargets
{
    /// <summary>
    /// Mutated inputs per target in CI: 2,000 for a JSON parser (under 0.2 s each), fewer where an input costs milliseconds
    /// (HTML parsed twice, by the parser and by the oracle). The whole fuzz set is about 20 s of CPU.
    /// </summary>
    private const int JsonIterations = 2000;

    private const string D = "Derivatives";

    private static readonly DateTimeOffset PlanTime = new(2026, 8, 1, 0, 0, 0, TimeSpan.Zero);

    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        // Flows: each value is the cell at its row (the date) and its column (the fund's header, or Total).
        new("farside-html", InputShape.HtmlTable, Seeds(Inline("generated farside page", Generated()), Fixture("Flows", "farside_quirks.html"), FewRows(Data("farside", "farside_btc_2026-07-23_trimmed.html"))), 200,
            t => Flows(FarsideHtmlParser.Parse(t), totalsOnly: false, () => TableOracle.FromHtml(t))) { SweepPerShape = 1, MaxSweepShapes = 3 },
        new("flows-csv", InputShape.Csv, Seeds(Fixture("Flows", "flows_quirks.csv"), Fixture("Rules", "flows_small.csv"), Head(Data("farside", "farside_btc_etf_flows__daily.csv"), 20)), 2000,
            t => Flows(FlowsCsvReader.Parse(new StringReader(t)), totalsOnly: false, () => TableOracle.FromFlowsCsv(t))) { MaxSweepShapes = 8 },
        Json("sosovalue-json", Seeds(Fixture("Flows", "sosovalue_history.json")), SoSoValue,
            r => r.Rows.Select(row => Element("$.data.list[*]|$.data[*]", Text("date", TableOracle.Key(row.Date)), Num("totalNetInflow", row.TotalUsdM, scale: 1_000_000m)))),

        // Venues: each record comes from one element, each field from its path in that element.
        Json("binance-premium-index", Venue("binance_fapi_v1_premiumIndex_BTCUSDT.json"), BinanceVenue.ParsePremiumIndex,
            p => [Element("$|$[*]", Num("markPrice", p.MarkPrice), Num("indexPrice", p.IndexPrice), Num("lastFundingRate", p.LastFundingRate), Time("time", p.Time))]),
        Json("binance-funding", Venue("binance_fapi_v1_fundingRate_BTCUSDT.json"), BinanceVenue.ParseFundingHistory,
            f => [Element("$[*]", Num("fundingRate", f.Rate), Time("fundingTime", f.AtUtc)), Document.Latest("$[*].fundingTime", f.AtUtc), Document.IntervalFromSpacing("$[*].fundingTime", f.Interval)]),
        Json("binance-open-interest", Venue("binance_fapi_v1_openInterest_BTCUSDT.json"), BinanceVenue.ParseOpenInterest,
            oi => [Element("$", Time("time", oi.AtUtc), Num("openInterest", oi.Btc))]),
        Json("binance-open-interest-hist", Venue("binance_futures_data_openInterestHist_BTCUSDT_1h.json"), BinanceVenue.ParseOpenInterestHistory,
            h => [.. h.Points.Select(p => Element("$[*]", Time("timestamp", p.AtUtc), Num("sumOpenInterest", p.Btc))),
                  .. h.LatestPrice is { } price ? [Element("$[*]", Time("timestamp", h.Points[^1].AtUtc), Derived("sumOpenInterestValue / sumOpenInterest (2 dp)", price, e => Math.Round(e.Number("sumOpenInterestValue").Value!.Value / e.Number("sumOpenInterest").Value!.Value, 2)))] : Array.Empty<JsonClaim>()]),
        Json("binance-delivery", Venue("binance_dapi_v1_premiumIndex_BTCUSD.json"), BinanceVenue.ParseDelivery,
            d => [.. d.Quotes.Select(q => Element("$[*]", Text("symbol", q.Instrument), Num("markPrice", q.Price), ExpiryFromSymbol("symbol", '_', ["yyMMdd"], q.ExpiryUtc))),
                  Element("$[*]", Num("indexPrice", d.IndexPrice)), Document.Latest("$[*].time", d.Time)]),
        Json("bybit-funding", Venue("bybit_v5_market_funding_history_BTCUSDT.json"), BybitVenue.ParseFundingHistory,
            f => [Element("$.result.list[*]", Num("fundingRate", f.Rate), Time("fundingRateTimestamp", f.AtUtc)), Document.Latest("$.result.list[*].fundingRateTimestamp", f.AtUtc), Document.IntervalFromSpacing("$.result.list[*].fundingRateTimestamp", f.Interval)]),
        Json("bybit-open-interest", Venue("bybit_v5_market_open-interest_BTCUSDT_1h.json"), BybitVenue.ParseOpenInterest,
            points => points.Select(p => Element("$.result.list[*]", Time("timestamp", p.AtUtc), Num("openInterest", p.Btc)))),
        Json("bybit-ticker", Venue("bybit_v5_market_tickers_BTCUSDT.json"), BybitVenue.ParseTicker,
            t => [Element("$.result.list[0]", Num("markPrice", t.MarkPrice), Num("indexPrice", t.IndexPrice), Time("$.time", t.Time == default ? null : t.Time))]),
        Json("deribit-book", Venue("deribit_api_v2_public_get_book_summary_by_currency_BTC.json"), DeribitVenue.ParseBookSummary,
            b => [.. b.Funding8h is not null || b.PerpetualOpenInterestUsd is not null ? [Element("$.result[*]", Text("instrument_name", "BTC-PERPETUAL"), Num("funding_8h", b.Funding8h), Num("open_interest", b.PerpetualOpenInterestUsd))] : Array.Empty<JsonClaim>(),
                  Element("$.result[*]", Num("estimated_delivery_price", b.EstimatedDeliveryPrice)),
                  .. b.Futures.Select(q => Element("$.result[*]", Text("instrument_name", q.Instrument), Num("mark_price", q.Price), ExpiryFromSymbol("instrument_name", '-', ["dMMMyy", "ddMMMyy"], q.ExpiryUtc))),
                  Document.Latest("$.result[*].creation_timestamp", b.Time)]),
        Json("deribit-index", Venue("deribit_api_v2_public_get_index_price_btc_usd.json"), DeribitVenue.ParseIndex,
            i => [Element("$", Num("result.index_price", i.Price), Time("usOut", i.At == default ? null : i.At, TimeUnit.Microseconds))]),
        Json("kraken-tickers", Venue("kraken_derivatives_api_v3_tickers_XBT.json", "kraken_futures_v3_tickers_XBT_perps.json"), KrakenVenue.ParseTicker,
            t => [Element("$.tickers[*]", Text("symbol", KrakenVenue.Symbol, ignoreCase: true), Num("fundingRate", t.AbsoluteFundingRate), Num("openInterest", t.OpenInterestBtc), Num("markPrice", t.MarkPrice), Num("indexPrice", t.IndexPrice), IsoTime(["$.serverTime", "lastTime"], t.Time))]),
        Json("okx-funding", Venue("okx_api_v5_public_funding-rate_BTC-USDT-SWAP.json", "okx_ws_funding-rate_BTC-USDT-SWAP.json"), OkxVenue.ParseFunding,
            f => [Element(OkxRows, [.. f.Observation.Basis == "settled"
                    ? [Num("settFundingRate", f.Observation.Rate), FirstTime(["prevFundingTime", "fundingTime", "ts"], NoneIfDefault(f.Observation.AtUtc))]
                    : new[] { Num("settFundingRate", null), Num("fundingRate", f.Observation.Rate), FirstTime(["fundingTime", "ts"], NoneIfDefault(f.Observation.AtUtc)) },
                  Is($"interval {f.Observation.Interval} = fundingTime − prevFundingTime, else nextFundingTime − fundingTime, else 8 h", e => OkxInterval(e) == f.Observation.Interval)])]),
        Json("okx-open-interest", Venue("okx_api_v5_public_open-interest_BTC-USDT-SWAP.json", "okx_ws_open-interest_BTC-USDT-SWAP.json"), OkxVenue.ParseOpenInterest,
            oi => [Element(OkxRows, Num("oiCcy", oi.Btc), Num("oiUsd", oi.Usd), Time("ts", oi.At))]),
        Json("okx-futures-marks", Venue("okx_api_v5_public_mark-price_BTC-USD.json"), OkxVenue.ParseFuturesMarks,
            quotes => quotes.Select(q => Element(OkxRows, Text("instId", q.Instrument), Num("markPx", q.Price), ExpiryFromSymbol("instId", '-', ["yyMMdd"], q.ExpiryUtc)))),
        Json("okx-index", Venue("okx_api_v5_market_index-tickers_BTC-USD.json"), OkxVenue.ParseIndex,
            i => [Element(OkxRows, Num("idxPx", i.Price), Time("ts", i.At))]),
        Json("coinbase-candles", Venue("coinbase_products_BTC-USD_candles_1h.json"), BtcCloses.ParseCandles,
            candles => candles.Select(c => Element("$[*]", Time("[0]", c.StartUtc, TimeUnit.Seconds), Num("[4]", c.Close), Is($"close {c.Close} is a plausible BTC price", _ => VenueBounds.IsPrice(c.Close))))),
        Json("coinalyze-open-interest", Venue("coinalyze_open-interest_BTC.json"), t => CoinalyzeVenue.Parse(t, "open interest"), CoinalyzeRows),
        Json("coinalyze-funding", Venue("coinalyze_funding-rate_BTC.json"), t => CoinalyzeVenue.Parse(t, "funding rate"), CoinalyzeRows),

        // CFTC: each row's open interest (and change) from its report date and contract code, and CME OI derived from them.
        Json("cftc-json", Venue("cftc_resource_6dca-aqww_bitcoin.json"), t => (Rows: CftcCot.Parse(t), Cme: CftcCot.Compute(CftcCot.Parse(t))),
            r => [.. r.Rows.Select(row => Element("$[*]", Text("cftc_contract_market_code", row.Code), Date("report_date_as_yyyy_mm_dd", row.ReportDate), Num("open_interest_all", row.OpenInterest), Num("change_in_open_interest_all", row.ChangeInOpenInterest), Text("market_and_exchange_names", row.Market))),
                  .. CmeClaims(r.Rows, r.Cme)]),
        new("cftc-csv", InputShape.Csv, Seeds(Inline("generated cftc.csv", CftcCsv), Inline("generated cftc.csv, one contract", CftcCsv[..CftcCsv.IndexOf("\"MICRO", StringComparison.Ordinal)]), Head(Data("cftc", "cftc_legacy_futonly_2024_bitcoin_rows.csv"), 40)), 1000, CftcCsvCheck)
            { SweepShapes = [CftcDate, CftcCode, "Open Interest (All)", "Change in Open Interest (All)", "date"] },

        // CoinShares: each figure is stated after its subject's name, in one sentence, with a flow word of its sign.
        new("coinshares-feed", InputShape.Prose, Seeds(Fixture("Weekly", "feed-2025-*.xml")), 1000, t => Weekly(ReadFeed(t), t)) { SweepPerShape = 4 },
        new("coinshares-html", InputShape.Prose, Seeds(Fixture("Weekly", "report-*.html")), 500, t => Weekly(WeeklyReport.ReadHtml(t, "fuzz", new DateOnly(2025, 11, 10)), t)) { SweepPerShape = 6 },

        // Whole venue reads (every document of a venue in one JSON object, by recording name) through the helpers that
        // do arithmetic on parsed values: funding per 8 h, USD valuation, basis, and the composite.
        Reading("binance-reading", new BinanceVenue()),
        Reading("bybit-reading", new BybitVenue()),
        Reading("deribit-reading", new DeribitVenue()),
        Reading("kraken-reading", new KrakenVenue()),
        Reading("okx-reading", new OkxVenue()),
        Reading("coinalyze-reading", new CoinalyzeVenue()),
    ];

    public static FuzzTarget Named(string name) => All.Single(t => t.Name == name);

    // ---- JSON targets ------------------------------------------------------------------------------------------

    /// <summary>A parser of JSON: its own <see cref="VenueFormatException"/> is a clean rejection; every claim is checked.</summary>
    public static FuzzTarget Json<T>(string name, Func<IReadOnlyList<SeedInput>> seeds, Func<string, T> parse, Func<T, IEnumerable<JsonClaim>> claims, int iterations = JsonIterations) =>
        new(name, InputShape.Json, seeds, iterations, input =>
        {
            T parsed;
            try
            {
                parsed = parse(input);
            }
            catch (VenueFormatException ex)
            {
                return FuzzVerdict.Rejected(ex.Message);
            }
            catch (SoSoValueRejection ex)
            {
                return FuzzVerdict.Rejected(ex.Message);
            }

            return JsonOracle.Check(input, claims(parsed));
        });

    public static ElementClaim Element(string paths, params FieldClaim[] fields) => new(paths, fields);

    /// <summary>OKX rows: the REST envelope's data, or each websocket push's data.</summary>
    private const string OkxRows = "$.data[*]|$[*].data[*]";

    private static IEnumerable<JsonClaim> CoinalyzeRows(IReadOnlyList<CoinalyzeVenue.Row> rows) =>
        rows.Select(r => Element("$[*]", Text("symbol", r.Symbol), Num("value", r.Value), Time("update", r.Update)));

    /// <summary>A dated contract's expiry: the date after the last <paramref name="separator"/> of its name, at 08:00 UTC.</summary>
    private static FieldClaim ExpiryFromSymbol(string path, char separator, string[] formats, DateTimeOffset expiry) => Is(
        $"{path} ends in the expiry date {expiry:yyyy-MM-dd} (08:00 UTC)",
        e => e.Text(path) is { } s && s.LastIndexOf(separator) is var at and >= 0
            && DateOnly.TryParseExact(s[(at + 1)..], formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            && new DateTimeOffset(date.ToDateTime(new TimeOnly(8, 0)), TimeSpan.Zero) == expiry);

    private static TimeSpan OkxInterval(JsonNav e)
    {
        DateTimeOffset? Ms(string p) => e.Number(p).Value is { } v && v > 0 ? Instant(v, TimeUnit.Milliseconds) : null;
        var (funding, prev, next) = (Ms("fundingTime"), Ms("prevFundingTime"), Ms("nextFundingTime"));
        return funding > prev ? funding.Value - prev!.Value : next > funding ? next.Value - funding!.Value : TimeSpan.FromHours(8);
    }

    private static DateTimeOffset? NoneIfDefault(DateTimeOffset t) => t == default ? null : t;

    /// <summary>SoSoValue answers a result with an outcome rather than throwing: a failed outcome is its clean rejection.</summary>
    private static EtfFlowFetch SoSoValue(string body)
    {
        var fetch = SoSoValueResponse.Parse(body, new EtfFlowQuery(DateOnly.MinValue, DateOnly.MaxValue));
        if (fetch.Outcome != SourceOutcome.Ok) throw new SoSoValueRejection(fetch.Error ?? fetch.Outcome.ToString());
        Store(fetch.Rows, totalsOnly: true);
        return fetch;
    }

    private sealed class SoSoValueRejection(string message) : Exception(message);

    // ---- CFTC ------------------------------------------------------------------------------------------------

    /// <summary>CME open interest: the latest report's contracts (each some row's open interest) × BTC per contract.</summary>
    private static IEnumerable<JsonClaim> CmeClaims(IReadOnlyList<CotRow> rows, CmeOpenInterest? cme)
    {
        if (cme is null) yield break;
        var known = rows.Where(r => CftcCot.BtcPerContract.ContainsKey(r.Code)).ToList();
        yield return Fact($"report date {cme.ReportDate} is the latest row's", cme.ReportDate == known.Max(r => r.ReportDate));
        foreach (var (code, contracts) in cme.Contracts)
        {
            yield return Fact($"{code}: {contracts} contracts is a row of {cme.ReportDate}", known.Any(r => r.Code == code && r.ReportDate == cme.ReportDate && r.OpenInterest == contracts));
        }

        yield return Fact($"CME open interest {cme.OpenInterestBtc} BTC = Σ contracts × BTC per contract (5, micro 0.1)", cme.OpenInterestBtc == cme.Contracts.Sum(c => c.Value * CftcCot.BtcPerContract[c.Key]));

        // The change from the previous report, over the contracts in both (the first row of a date and code counts).
        var previous = known.Select(r => r.ReportDate).Where(d => d < cme.ReportDate).DefaultIfEmpty().Max();
        if (cme.ChangeBtc is { } change && cme.PreviousReportDate == previous && previous != default)
        {
            decimal? OpenInterestOf(DateOnly date, string code) => known.FirstOrDefault(r => r.ReportDate == date && r.Code == code)?.OpenInterest;
            var expected = cme.Contracts.Keys.Where(c => OpenInterestOf(previous, c) is not null).Sum(c => (OpenInterestOf(cme.ReportDate, c)!.Value - OpenInterestOf(previous, c)!.Value) * CftcCot.BtcPerContract[c]);
            yield return Fact($"CME change {change} BTC = Σ (contracts − contracts of {previous:yyyy-MM-dd}) × BTC per contract", change == expected);
        }
    }

    private static DocumentClaim Fact(string description, bool holds) => new(description, _ => holds);

    private const string CftcDate = "As of Date in Form YYYY-MM-DD";
    private const string CftcCode = "CFTC Contract Market Code";

    private static FuzzVerdict CftcCsvCheck(string csv)
    {
        IReadOnlyList<CotRow> rows;
        CmeOpenInterest? cme;
        try
        {
            rows = CftcCot.ParseCsv(csv);
            cme = CftcCot.Compute(rows);
        }
        catch (VenueFormatException ex)
        {
            return FuzzVerdict.Rejected(ex.Message);
        }

        var claims = rows.Select(r => new RowClaim($"{TableOracle.Key(r.ReportDate)}|{r.Code}", r.ChangeInOpenInterest is { } change
            ? [("Open Interest (All)", r.OpenInterest), ("Change in Open Interest (All)", change)]
            : [("Open Interest (All)", (decimal?)r.OpenInterest)])).ToList();
        var table = TableOracle.Check(TableOracle.FromCftcCsv(csv, CftcDate, CftcCode), claims);
        var derived = CmeClaims(rows, cme).Select(c => c.Violation(default)).OfType<string>().ToList();
        return FuzzVerdict.Parsed(table.CheckedValues + (cme is null ? 0 : 1), [.. table.Violations, .. derived]);
    }

    private const string CftcCsv = "\"Market and Exchange Names\",\"As of Date in Form YYYY-MM-DD\",\"CFTC Contract Market Code\",\"Open Interest (All)\",\"Change in Open Interest (All)\"\n"
        + "\"BITCOIN - CHICAGO MERCANTILE EXCHANGE\",2026-01-06,133741 ,  24000,   500\n"
        + "\"MICRO BITCOIN - CHICAGO MERCANTILE EXCHANGE\",2026-01-06,133742 ,  60000,  -1200\n";

    // ---- Flows -----------------------------------------------------------------------------------------------

    /// <summary>A flows table: an error result is the clean rejection; the rows go through the session planner too (it converts to whole USD).</summary>
    private static FuzzVerdict Flows(EtfFlowParseResult result, bool totalsOnly, Func<IReadOnlyList<Grid>> grids)
    {
        if (!result.Succeeded) return FuzzVerdict.Rejected(result.Error!);
        Store(result.Rows, totalsOnly);
        var claims = result.Rows.Select(r => new RowClaim(TableOracle.Key(r.Date), [.. r.Funds.Select(f => (f.Key, f.Value)), ("Total", r.TotalUsdM)])).ToList();
        return TableOracle.Check(grids(), claims);
    }

    /// <summary>What ingestion does with parsed rows: plan the sessions and turn each into its table entity (whole USD in long).</summary>
    private static void Store(IReadOnlyList<EtfFlowRow> rows, bool totalsOnly)
    {
        var plan = EtfSessionPlanner.Plan(rows, totalsOnly, "fuzz", new Dictionary<DateOnly, Tapewatch.Core.Domain.EtfSession>(), SessionStatusPolicy.Default, PlanTime, TradingCalendar.Default);
        foreach (var s in plan.Sessions) EtfSessionStore.ToEntity(s.Session);
    }

    private static string Generated()
    {
        var rows = Enumerable.Range(0, 12).Select(i => new FarsideMarkup.Row(new DateOnly(2026, 3, 2).AddDays(i), [1205.2m - i * 101.3m, -44.5m, i % 4 == 0 ? null : 0m, 12.0m + i])).ToList();
        return FarsideMarkup.Page(["IBIT", "FBTC", "BITB", "GBTC"], rows);
    }

    // ---- CoinShares ------------------------------------------------------------------------------------------

    private static WeeklyReadResult ReadFeed(string xml)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(xml));
        return WeeklyReport.ReadFeed(stream, "fuzz");
    }

    /// <summary>No week is a clean rejection (the result carries the reason); every figure is checked against the prose.</summary>
    private static FuzzVerdict Weekly(WeeklyReadResult read, string input)
    {
        if (read.Week is not { } week) return FuzzVerdict.Rejected(read.Error ?? "no week");
        List<ProseClaim> claims =
        [
            new("Total", week.TotalUsd),
            .. week.Assets.Select(a => new ProseClaim(a.Key, a.Value)),
            .. week.Regions.Select(r => new ProseClaim(r.Key, r.Value)),
            .. week.AumUsd is { } aum ? [new ProseClaim("AuM", aum)] : Array.Empty<ProseClaim>(),
        ];
        return ProseOracle.Check(input, claims);
    }

    // ---- Whole venue reads -----------------------------------------------------------------------------------

    /// <summary>
    /// A venue's documents in one JSON object ({"recording name": document, …}), so that a mutation can reach any of
    /// them; the read goes through the venue's arithmetic and the composite. Its oracle: every value of the reading and
    /// of the composite is within <see cref="VenueBounds"/> (a value the parsers read is checked by the targets above).
    /// </summary>
    private static FuzzTarget Reading(string name, DerivativesVenue venue) =>
        new(name, InputShape.Json, Seeds(Bundle(venue.Name, Path.Combine(AppContext.BaseDirectory, "Fixtures", D)), Bundle(venue.Name, TestPaths.DataFile("derivatives"))), 600, ReadVenue(venue)) { SweepPerShape = 1 };

    private static Func<string, FuzzVerdict> ReadVenue(DerivativesVenue venue) => input =>
        {
            Dictionary<string, string> documents;
            try
            {
                using var doc = JsonDocument.Parse(input);
                if (doc.RootElement.ValueKind != JsonValueKind.Object) return FuzzVerdict.Rejected("not a bundle of documents");
                documents = doc.RootElement.EnumerateObject().GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.Last().Value.GetRawText());
            }
            catch (Exception ex) when (ex is JsonException or ArgumentException)
            {
                // Not JSON (or text UTF-8 cannot carry): no bundle of documents to hand to the venue.
                return FuzzVerdict.Rejected("bundle: " + ex.Message);
            }

            var options = new DerivativesOptions();
            VenueReading reading;
            try
            {
                reading = venue.ReadAsync(new InMemoryVenueDocuments(documents), options, CancellationToken.None).GetAwaiter().GetResult();
            }
            catch (VenueRequestException ex)
            {
                return FuzzVerdict.Rejected(ex.Message);
            }

            var outcome = new VenueOutcome { Venue = venue.Name, Status = reading.Partial ? VenueStatus.Partial : VenueStatus.Ok, Reading = reading };
            var composite = DerivativesComposite.Build([outcome], reading.AsOfUtc, options, reading.AsOfUtc.AddDays(-7), new Dictionary<string, OpenInterestPoint> { [venue.Name] = new(reading.AsOfUtc.AddDays(-7), 1m) });
            JsonSerializer.Serialize(composite, Tapewatch.Infrastructure.Api.ApiJson.Options); // computed properties (annualised funding) included
            return VenueBoundsOracle.Check(reading, composite, options);
        };

    /// <summary>The venue's recordings in a folder as one JSON object keyed by file name without ".json".</summary>
    private static Func<SeedInput?> Bundle(string venue, string directory) => () =>
    {
        var files = Directory.GetFiles(directory, venue + "_*.json").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) return null;
        var sb = new StringBuilder("{");
        foreach (var f in files) sb.Append(sb.Length > 1 ? "," : "").Append(JsonSerializer.Serialize(Path.GetFileNameWithoutExtension(f))).Append(':').Append(File.ReadAllText(f).Trim());
        return new SeedInput($"{venue} recordings in {Path.GetFileName(directory)}", sb.Append('}').ToString());
    };

    // ---- Seeds -----------------------------------------------------------------------------------------------

    private static Func<IReadOnlyList<SeedInput>> Seeds(params Func<IEnumerable<SeedInput>>[] sources) => () => sources.SelectMany(s => s()).ToList();

    private static Func<IReadOnlyList<SeedInput>> Seeds(params Func<SeedInput?>[] sources) => () => sources.Select(s => s()).OfType<SeedInput>().ToList();

    /// <summary>A venue's fixture and its real recordings in tests/data (same name, or the names given).</summary>
    private static Func<IReadOnlyList<SeedInput>> Venue(string fixture, params string[] data) => () =>
    [
        .. Fixture(D, fixture)(),
        .. (data.Length > 0 ? data : File.Exists(Path.Combine(TestPaths.Data, "derivatives", fixture)) ? [fixture] : []).SelectMany(d => Data("derivatives", d)()),
    ];

    private static Func<IEnumerable<SeedInput>> Fixture(string area, string pattern) => () =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", area), pattern).Order(StringComparer.Ordinal)
            .Select(f => new SeedInput($"fixture {area}/{Path.GetFileName(f)}", File.ReadAllText(f)));

    /// <summary>A file of tests/data (it is part of the repository: a missing one fails).</summary>
    private static Func<IEnumerable<SeedInput>> Data(string folder, string name) => () => [new SeedInput($"tests/data/{folder}/{name}", File.ReadAllText(TestPaths.DataFile(folder, name)))];

    private static Func<IEnumerable<SeedInput>> Inline(string name, string text) => () => [new SeedInput(name, text)];

    /// <summary>The first lines (the header and enough rows; the whole file would only slow the fuzzer down).</summary>
    private static Func<IEnumerable<SeedInput>> Head(Func<IEnumerable<SeedInput>> source, int lines) => () =>
        source().Select(s => s with { Name = s.Name + $" (first {lines} lines)", Text = string.Join('\n', s.Text.Split('\n').Take(lines)) });

    /// <summary>A Farside page with its first three sessions, its last data row (the pending one) and the trailer rows: every quirk, a third of the size.</summary>
    private static Func<IEnumerable<SeedInput>> FewRows(Func<IEnumerable<SeedInput>> source) => () => source().Select(s =>
    {
        var rows = DataRow().Matches(s.Text).ToList();
        var cut = rows.Count > 5 ? s.Text[..rows[3].Index] + s.Text[rows[^1].Index..] : s.Text;
        return s with { Name = s.Name + " (sessions 1–3 and the pending row)", Text = cut };
    });

    /// <summary>A data row of Farside's table body: a row whose first cell holds a date ("06 Jul 2026").</summary>
    [GeneratedRegex(@"<tr\b[^>]*>\s*<td><span class=""tabletext"">\d{1,2} [A-Z][a-z]{2} \d{4}</span></td>")]
    private static partial Regex DataRow();
}
