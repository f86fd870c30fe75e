using System.Collections;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using Tapewatch.Core.Derivatives;
using Tapewatch.Core.Derivatives.Venues;
using Tapewatch.Core.Flows;
using Tapewatch.Core.Weekly;
using Tapewatch.TestSupport;

namespace Tapewatch.Tests.Fuzz;

/// <summary>
/// One parser under fuzz: its seed inputs, how many mutated inputs it gets, the parse (returning every number it read), the
/// exceptions that count as a clean rejection, and the oracle: the set of numbers actually present in an input.
/// </summary>
public sealed record FuzzTarget(
    string Name,
    Func<IReadOnlyList<string>> Seeds,
    int Iterations,
    Func<string, IEnumerable<decimal>> Parse,
    Func<string, NumberSet> Oracle,
    params Type[] Rejections)
{
    public override string ToString() => Name;
}

/// <summary>
/// Every parser of outside input. To fuzz a new parser, add ONE line to <see cref="All"/> (e.g. the CoinShares weekly prose:
/// <c>Target("coinshares-weekly", Fixtures("Weekly", "*.xml"), 2000, t =&gt; CoinSharesParser.Parse(t).Weeks.Select(w =&gt; (decimal)w.TotalUsd), t =&gt; NumberSet.FromText(t, 1_000_000m, 1_000_000_000m))</c>).
/// </summary>
public static class ParserFuzzTargets
{
    private static readonly EtfFlowQuery AllDates = new(DateOnly.MinValue, DateOnly.MaxValue);

    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new("farside-html", () => [Generated(), .. Fixtures("Flows", "farside_quirks.html"), .. Shared("farside", "farside_btc_2026-07-23_trimmed.html")], 2000, FarsideValues, NumberSet.FromHtml),
        new("flows-csv", () => [.. Fixtures("Flows", "flows_quirks.csv"), .. Fixtures("Rules", "flows_small.csv"), .. Shared("farside", "farside_btc_etf_flows__daily.csv").Select(Head)], 3000, CsvValues, NumberSet.FromCsv),
        new("sosovalue-json", () => [.. Fixtures("Flows", "sosovalue_history.json")], 2000, t => SoSoValueSource.Parse(t, AllDates).Rows.Select(r => r.TotalUsdM ?? 0m), t => NumberSet.FromJson(t).Scaled(1_000_000m)),
        Venue("binance-premium-index", "binance_fapi_v1_premiumIndex_BTCUSDT.json", BinanceVenue.ParsePremiumIndex),
        Venue("binance-funding", "binance_fapi_v1_fundingRate_BTCUSDT.json", BinanceVenue.ParseFundingHistory),
        Venue("binance-open-interest", "binance_fapi_v1_openInterest_BTCUSDT.json", BinanceVenue.ParseOpenInterest),
        Venue("binance-open-interest-hist", "binance_futures_data_openInterestHist_BTCUSDT_1h.json", BinanceVenue.ParseOpenInterestHistory, "LatestPrice"),
        Venue("binance-delivery", "binance_dapi_v1_premiumIndex_BTCUSD.json", BinanceVenue.ParseDelivery),
        Venue("bybit-funding", "bybit_v5_market_funding_history_BTCUSDT.json", BybitVenue.ParseFundingHistory),
        Venue("bybit-open-interest", "bybit_v5_market_open-interest_BTCUSDT_1h.json", BybitVenue.ParseOpenInterest),
        Venue("bybit-ticker", "bybit_v5_market_tickers_BTCUSDT.json", BybitVenue.ParseTicker),
        Venue("deribit-book", "deribit_api_v2_public_get_book_summary_by_currency_BTC.json", DeribitVenue.ParseBookSummary),
        Venue("deribit-index", "deribit_api_v2_public_get_index_price_btc_usd.json", DeribitVenue.ParseIndex),
        Venue("kraken-tickers", "kraken_derivatives_api_v3_tickers_XBT.json", KrakenVenue.ParseTicker, "OpenInterestBtc"),
        Venue("okx-funding", "okx_api_v5_public_funding-rate_BTC-USDT-SWAP.json", OkxVenue.ParseFunding),
        Venue("okx-open-interest", "okx_api_v5_public_open-interest_BTC-USDT-SWAP.json", OkxVenue.ParseOpenInterest),
        Venue("okx-futures-marks", "okx_api_v5_public_mark-price_BTC-USD.json", OkxVenue.ParseFuturesMarks),
        Venue("okx-index", "okx_api_v5_market_index-tickers_BTC-USD.json", OkxVenue.ParseIndex),
        Venue("cftc-json", "cftc_resource_6dca-aqww_bitcoin.json", CftcCot.Parse),
        new("cftc-csv", () => [CftcCsv, .. Shared("cftc", "cftc_legacy_futonly_2024_bitcoin_rows.csv").Select(Head)], 1500, t => Numbers(CftcCot.ParseCsv(t)), NumberSet.FromCsv, typeof(VenueFormatException)),
        Venue("coinbase-candles", "coinbase_products_BTC-USD_candles_1h.json", BtcCloses.ParseCandles),
        Venue("coinalyze-open-interest", "coinalyze_open-interest_BTC.json", t => CoinalyzeVenue.Parse(t, "open interest")),
        Venue("coinalyze-funding", "coinalyze_funding-rate_BTC.json", t => CoinalyzeVenue.Parse(t, "funding rate")),
        new("coinshares-feed", () => [.. Fixtures("Weekly", "feed-2025-*.xml")], 1500, WeeklyFeedValues, WeeklyOracle),
        new("coinshares-html", () => [.. Fixtures("Weekly", "report-*.html")], 1500, t => WeeklyValues(WeeklyReport.ReadHtml(t, "fuzz", new DateOnly(2025, 11, 10))), WeeklyOracle),
    ];

    /// <summary>
    /// CoinShares prose states "US$1.17bn", "US$946m", "US$12k", "US$1.2tn": any stated number times a unit, in the raw
    /// markup or in the text a reader sees once tags are dropped ("US$4&lt;b&gt;38m" reads "US$438m"), with either sign.
    /// </summary>
    private static NumberSet WeeklyOracle(string text)
    {
        var decoded = WebUtility.HtmlDecode(text);
        var visible = WebUtility.HtmlDecode(Regex.Replace(text.Replace("<![CDATA[", "", StringComparison.Ordinal).Replace("]]>", "", StringComparison.Ordinal), "<[^>]*>", ""));
        return NumberSet.FromText(decoded + "\n" + visible, 1_000m, 1_000_000m, 1_000_000_000m, 1_000_000_000_000m).WithNegatives();
    }

    private static IEnumerable<decimal> WeeklyFeedValues(string xml)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(xml));
        return WeeklyValues(WeeklyReport.ReadFeed(stream, "fuzz"));
    }

    private static IEnumerable<decimal> WeeklyValues(WeeklyReadResult read) =>
        read.Week is not { } w
            ? []
            : w.Assets.Values.Concat(w.Regions.Values).Append(w.TotalUsd).Concat(w.AumUsd is { } a ? [a] : []).Select(v => (decimal)v);

    /// <summary>A venue's JSON parser: raw numbers only (derived properties named in <paramref name="derived"/> are not checked).</summary>
    private static FuzzTarget Venue<T>(string name, string fixture, Func<string, T> parse, params string[] derived) =>
        new(name, () => [.. Fixtures("Derivatives", fixture), .. Shared("derivatives", fixture)], 1200, t => Numbers(parse(t), derived), NumberSet.FromJson, typeof(VenueFormatException));

    private static IEnumerable<decimal> FarsideValues(string html)
    {
        var result = FarsideHtmlParser.Parse(html);
        return result.Rows.SelectMany(r => r.Funds.Values.Append(r.TotalUsdM)).OfType<decimal>();
    }

    private static IEnumerable<decimal> CsvValues(string csv)
    {
        var result = FlowsCsvReader.Parse(new StringReader(csv));
        return result.Rows.SelectMany(r => r.Funds.Values.Append(r.TotalUsdM)).OfType<decimal>();
    }

    /// <summary>Every decimal/long/int the parse result holds (records, lists; recursively), except derived properties.</summary>
    public static IEnumerable<decimal> Numbers(object? value, params string[] derived)
    {
        switch (value)
        {
            case null or string or DateTimeOffset or DateOnly or TimeSpan or bool:
                yield break;
            case decimal d:
                yield return d;
                yield break;
            case long l:
                yield return l;
                yield break;
            case int i:
                yield return i;
                yield break;
            case IEnumerable items:
                foreach (var item in items)
                {
                    foreach (var n in Numbers(item, derived)) yield return n;
                }

                yield break;
        }

        foreach (var p in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (derived.Contains(p.Name) || p.GetIndexParameters().Length > 0) continue;
            foreach (var n in Numbers(p.GetValue(value), derived)) yield return n;
        }
    }

    private static string Generated()
    {
        var rows = Enumerable.Range(0, 12).Select(i => new FarsideMarkup.Row(new DateOnly(2026, 3, 2).AddDays(i), [1205.2m - i * 101.3m, -44.5m, i % 4 == 0 ? null : 0m, 12.0m + i])).ToList();
        return FarsideMarkup.Page(["IBIT", "FBTC", "BITB", "GBTC"], rows);
    }

    private const string CftcCsv = "\"Market and Exchange Names\",\"As of Date in Form YYYY-MM-DD\",\"CFTC Contract Market Code\",\"Open Interest (All)\",\"Change in Open Interest (All)\"\n"
        + "\"BITCOIN - CHICAGO MERCANTILE EXCHANGE\",2026-01-06,133741 ,  24000,   500\n"
        + "\"MICRO BITCOIN - CHICAGO MERCANTILE EXCHANGE\",2026-01-06,133742 ,  60000,  -1200\n";

    private static string Head(string text) => string.Join('\n', text.Split('\n').Take(40));

    private static IEnumerable<string> Fixtures(string area, string name) =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", area), name).Order(StringComparer.Ordinal).Select(File.ReadAllText);

    /// <summary>The real page or response from tests/data (the real recordings of the venues that have one).</summary>
    private static IEnumerable<string> Shared(string folder, string name)
    {
        var path = Path.Combine(TestPaths.Data, folder, name);
        return File.Exists(path) ? [File.ReadAllText(path)] : [];
    }
}

/// <summary>The numbers present in an input, with the readings a careful reader could give them.</summary>
public sealed partial class NumberSet
{
    private readonly HashSet<decimal> _values = [];

    public bool Contains(decimal value) => _values.Contains(value);

    public int Count => _values.Count;

    /// <summary>The same numbers and their negations (a sign taken from words: "outflows of US$946m").</summary>
    public NumberSet WithNegatives()
    {
        var both = new NumberSet();
        foreach (var v in _values)
        {
            both._values.Add(v);
            both._values.Add(-v);
        }

        return both;
    }

    /// <summary>The same numbers divided by each factor (a source in USD parsed into US$ millions, say).</summary>
    public NumberSet Scaled(params decimal[] factors)
    {
        var scaled = new NumberSet();
        foreach (var v in _values)
        {
            scaled._values.Add(v);
            foreach (var f in factors) scaled._values.Add(v / f);
        }

        return scaled;
    }

    /// <summary>
    /// Numbers in text (thousands separators removed): "12.5" → 12.5, "-12.5" → −12.5, "(12.5)" → −12.5, "(-12.5)" → −12.5 only
    /// (a double negative is never +12.5). Each value is also multiplied by <paramref name="multipliers"/> (e.g. "bn").
    /// </summary>
    public static NumberSet FromText(string text, params decimal[] multipliers)
    {
        var set = new NumberSet();
        set.AddText(text);
        if (multipliers.Length > 0)
        {
            foreach (var v in set._values.ToList())
            {
                foreach (var m in multipliers)
                {
                    if (Math.Abs(v) < decimal.MaxValue / m) set._values.Add(v * m);
                }
            }
        }

        return set;
    }

    /// <summary>Numbers in comma-separated text: a comma separates cells, never thousands.</summary>
    public static NumberSet FromCsv(string text)
    {
        var set = new NumberSet();
        foreach (var line in text.Split('\n'))
        {
            foreach (var cell in line.Split(',')) set.AddText(cell.Replace(",", "", StringComparison.Ordinal));
        }

        return set;
    }

    /// <summary>Numbers in the raw markup (entities decoded) and in the text of each cell as a browser joins it.</summary>
    public static NumberSet FromHtml(string html)
    {
        var set = new NumberSet();
        set.AddText(WebUtility.HtmlDecode(html));
        var document = new HtmlParser().ParseDocument(html);
        foreach (var cell in document.QuerySelectorAll("td, th")) set.AddText(cell.TextContent);
        return set;
    }

    /// <summary>Every JSON number, and every string that reads as a number (venues send "0.0001").</summary>
    public static NumberSet FromJson(string json)
    {
        var set = new NumberSet();
        try
        {
            using var doc = JsonDocument.Parse(json);
            set.AddJson(doc.RootElement);
        }
        catch (JsonException)
        {
            // Not JSON: a parser must reject it, so nothing it returns can be in the input.
        }

        return set;
    }

    private void AddJson(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject()) AddJson(p.Value);
                break;
            case JsonValueKind.Array:
                foreach (var x in e.EnumerateArray()) AddJson(x);
                break;
            case JsonValueKind.Number:
                if (e.TryGetDecimal(out var d)) _values.Add(d);
                else if (e.TryGetDouble(out var dbl) && double.IsFinite(dbl) && Math.Abs(dbl) < 7.9e28) _values.Add((decimal)dbl);
                break;
            case JsonValueKind.String:
                if (decimal.TryParse(e.GetString()!.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var s)) _values.Add(s);
                break;
        }
    }

    private void AddText(string text)
    {
        foreach (Match m in Token().Matches(text.Replace('\u00A0', ' ')))
        {
            if (!decimal.TryParse(m.Groups["num"].Value.Replace(",", "", StringComparison.Ordinal), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var x)) continue;
            var negative = m.Groups["sign"].Value == "-" || (m.Groups["open"].Success && m.Groups["close"].Success);
            _values.Add(negative ? -x : x);
        }
    }

    [GeneratedRegex(@"(?<open>\()?\s*(?<sign>[-+])?\s*(?<num>\d[\d,]*(?:\.\d*)?|\.\d+)\s*(?<close>\))?")]
    private static partial Regex Token();
}
