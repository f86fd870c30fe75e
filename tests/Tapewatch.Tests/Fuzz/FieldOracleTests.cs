using Tapewatch.Core.Derivatives;
using Tapewatch.Infrastructure.Derivatives;
using Tapewatch.Core.Derivatives.Venues;
using Tapewatch.Core.Flows;
using Tapewatch.Infrastructure.Flows;
using Tapewatch.Core.Weekly;
using Tapewatch.Infrastructure.Weekly;
using Tapewatch.TestSupport;
using static Tapewatch.Tests.Fuzz.Field;

namespace Tapewatch.Tests.Fuzz;

/// <summary>
/// The field-aware oracles reject a parser that reads the wrong field, even when the number it returns is in the input
/// (which is all the old "every number is somewhere in the input" oracle could check).
/// </summary>
public sealed class FieldOracleTests
{
    private static string Fixture(string area, string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", area, name));

    private static readonly string Funding = Fixture("Derivatives", "binance_fapi_v1_fundingRate_BTCUSDT.json");

    /// <summary>The mapping of the binance-funding target, as declared in <see cref="ParserFuzzTargets.All"/>.</summary>
    private static FuzzTarget BinanceFunding(Func<string, FundingObservation> parse) =>
        ParserFuzzTargets.Json("binance-funding (under test)", () => [new SeedInput("fixture", Funding)], parse,
            f => [ParserFuzzTargets.Element("$[*]", Num("fundingRate", f.Rate), Time("fundingTime", f.AtUtc)), Document.Latest("$[*].fundingTime", f.AtUtc)]);

    [Fact]
    public void The_real_parser_satisfies_the_mapping()
    {
        var verdict = BinanceFunding(BinanceVenue.ParseFundingHistory).Check(Funding);
        Assert.Empty(verdict.Violations);
        Assert.Equal(3, verdict.CheckedValues);
    }

    [Fact]
    public void A_parser_reading_the_mark_price_as_the_rate_is_rejected_although_the_number_is_in_the_input()
    {
        // markPrice 94950.00000000 is a number of the input, just not the funding rate.
        var wrong = BinanceFunding(json => BinanceVenue.ParseFundingHistory(json) is var f ? f with { Rate = 94950.00000000m } : f);
        Assert.Contains("\"markPrice\":\"94950.00000000\"", Funding, StringComparison.Ordinal);

        var verdict = wrong.Check(Funding);

        var violation = Assert.Single(verdict.Violations);
        Assert.Contains("fundingRate = 94950", violation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_parser_reading_the_timestamp_as_the_rate_is_rejected()
    {
        var wrong = BinanceFunding(json => BinanceVenue.ParseFundingHistory(json) is var f ? f with { Rate = f.AtUtc.ToUnixTimeMilliseconds() } : f);
        Assert.Single(wrong.Check(Funding).Violations);
    }

    [Fact]
    public void A_rate_from_one_element_with_the_time_of_another_is_rejected()
    {
        // 0.00004 is data[0].fundingRate; the latest time is data[2].fundingTime: both in the input, never in one element.
        var wrong = BinanceFunding(json => BinanceVenue.ParseFundingHistory(json) is var f ? f with { Rate = 0.00004m } : f);
        var violation = Assert.Single(wrong.Check(Funding).Violations);
        Assert.Contains("no element of $[*]", violation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_derived_value_must_follow_its_transform()
    {
        var target = ParserFuzzTargets.Named("binance-open-interest-hist");
        var json = Fixture("Derivatives", "binance_futures_data_openInterestHist_BTCUSDT_1h.json");
        Assert.Empty(target.Check(json).Violations);

        // The implied price of the last hour is sumOpenInterestValue / sumOpenInterest: 9681000000 / 101900 = 95004.91.
        var history = BinanceVenue.ParseOpenInterestHistory(json);
        Assert.Equal(95004.91m, history.LatestPrice);
        var claim = ParserFuzzTargets.Element("$[*]", Derived("sumOpenInterestValue / sumOpenInterest (2 dp)", 95004.91m + 0.01m, e => Math.Round(e.Number("sumOpenInterestValue").Value!.Value / e.Number("sumOpenInterest").Value!.Value, 2)));
        Assert.Single(JsonOracle.Check(json, [claim]).Violations);
    }

    [Fact]
    public void A_figure_read_in_usd_instead_of_us_dollar_millions_is_rejected()
    {
        var json = Fixture("Flows", "sosovalue_history.json");
        var claim = ParserFuzzTargets.Element("$.data.list[*]", Text("date", "2026-02-13"), Num("totalNetInflow", 48_500_000m, scale: 1_000_000m));
        Assert.Single(JsonOracle.Check(json, [claim]).Violations);
        Assert.Empty(JsonOracle.Check(json, [claim with { Fields = [Text("date", "2026-02-13"), Num("totalNetInflow", 48.5m, scale: 1_000_000m)] }]).Violations);
    }

    [Fact]
    public void Farside_values_from_a_neighbouring_column_are_rejected()
    {
        var html = Fixture("Flows", "farside_quirks.html");
        var rows = FarsideHtmlParser.Parse(html).Rows;
        var grids = TableOracle.FromHtml(html);
        var right = rows.Select(r => new RowClaim(TableOracle.Key(r.Date), [.. r.Funds.Select(f => (f.Key, f.Value)), ("Total", r.TotalUsdM)])).ToList();
        Assert.Equal(8, right.Count);
        Assert.Empty(TableOracle.Check(grids, right).Violations);

        // IBIT's and FBTC's values swapped on 9 Feb 2026 (1,205.2 and (44.5)): both numbers are on the page and in the row.
        var feb9 = rows.Single(r => r.Date == new DateOnly(2026, 2, 9));
        var swapped = new RowClaim("2026-02-09", [("IBIT", feb9.Funds["FBTC"]), ("FBTC", feb9.Funds["IBIT"])]);
        Assert.Single(TableOracle.Check(grids, [swapped]).Violations);

        // The right column on another row's date.
        var otherRow = new RowClaim("2026-02-10", [("IBIT", feb9.Funds["IBIT"])]);
        Assert.Single(TableOracle.Check(grids, [otherRow]).Violations);
    }

    [Fact]
    public void Csv_total_read_as_a_fund_is_rejected()
    {
        var csv = Fixture("Flows", "flows_quirks.csv");
        var row = FlowsCsvReader.Parse(new StringReader(csv)).Rows[0];
        var grids = TableOracle.FromFlowsCsv(csv);
        Assert.Empty(TableOracle.Check(grids, [new RowClaim(TableOracle.Key(row.Date), [("IBIT", row.Funds["IBIT"]), ("Total", row.TotalUsdM)])]).Violations);
        Assert.Single(TableOracle.Check(grids, [new RowClaim(TableOracle.Key(row.Date), [("IBIT", row.TotalUsdM)])]).Violations);
    }

    [Fact]
    public void Csv_cells_are_split_and_unquoted_as_the_reader_reads_them()
    {
        // A quoted cell holding the separator, and a header name whose quotes are malformed: Sep drops the first quote
        // and every even one after it and keeps the third ("" then "x" leaves one quote), where RFC 4180's state
        // machine would drop all four; the oracle reads both as the reader does.
        const string csv = "date,\"\"<b class=\"x\">IBIT,Total\n2026-02-10,\"1,234.5\",\"(1,234.5)\"\n";
        var row = Assert.Single(FlowsCsvReader.Parse(new StringReader(csv)).Rows);
        var grids = TableOracle.FromFlowsCsv(csv);

        Assert.Equal((1234.5m, -1234.5m), (row.Funds["<b class=\"x>IBIT"], row.TotalUsdM));
        Assert.Empty(TableOracle.Check(grids, [new RowClaim(TableOracle.Key(row.Date), [("<b class=\"x>IBIT", 1234.5m), ("Total", -1234.5m)])]).Violations);
        Assert.Single(TableOracle.Check(grids, [new RowClaim(TableOracle.Key(row.Date), [("<b class=\"x>IBIT", 1m)])]).Violations); // split on the quoted comma
    }

    [Fact]
    public void Cftc_change_read_as_open_interest_is_rejected()
    {
        var csv = File.ReadAllText(TestPaths.DataFile("cftc", "cftc_legacy_futonly_2024_bitcoin_rows.csv"));
        var row = CftcCot.ParseCsv(csv)[0];
        var grids = TableOracle.FromCftcCsv(csv, "As of Date in Form YYYY-MM-DD", "CFTC Contract Market Code");
        var key = $"{TableOracle.Key(row.ReportDate)}|{row.Code}";
        Assert.Empty(TableOracle.Check(grids, [new RowClaim(key, [("Open Interest (All)", row.OpenInterest)])]).Violations);
        Assert.Single(TableOracle.Check(grids, [new RowClaim(key, [("Open Interest (All)", row.ChangeInOpenInterest)])]).Violations);
    }

    [Fact]
    public void A_weekly_figure_given_to_the_wrong_asset_sign_or_unit_is_rejected()
    {
        var xml = Fixture("Weekly", "feed-2025-11-10.xml");
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(xml));
        var week = WeeklyReport.ReadFeed(stream, "test").Week!;
        Assert.Equal(-932_000_000L, week.Assets["Bitcoin"]);
        Assert.Empty(ProseOracle.Check(xml, [new ProseClaim("Bitcoin", -932_000_000L), new ProseClaim("Total", -1_170_000_000L)]).Violations);

        Assert.Single(ProseOracle.Check(xml, [new ProseClaim("Solana", -932_000_000L)]).Violations);      // another asset's figure
        Assert.Single(ProseOracle.Check(xml, [new ProseClaim("Bitcoin", 932_000_000L)]).Violations);      // inflows, not outflows
        Assert.Single(ProseOracle.Check(xml, [new ProseClaim("Bitcoin", -932_000_000_000L)]).Violations); // bn, not m
    }
}
