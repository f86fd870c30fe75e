using Tapewatch.Core.Derivatives;

namespace Tapewatch.Tests.Derivatives;

/// <summary>
/// CFTC Commitments of Traders rows, CSV and Socrata JSON: each field of a row is the cell of its column, other
/// contracts are skipped whatever they hold, and every refusal gives its reason (with the line number in the CSV).
/// </summary>
public sealed class CftcCotParsingTests
{
    private const string Header = "\"Market and Exchange Names\",\"As of Date in Form YYYY-MM-DD\",\"CFTC Contract Market Code\",\"Open Interest (All)\",\"Change in Open Interest (All)\"";

    private static readonly DateOnly Feb6 = new(2024, 2, 6);

    private static string Csv(params string[] lines) => string.Join("\n", lines) + "\n";

    private static string CsvRefusal(string text) => Assert.Throws<VenueFormatException>(() => CftcCot.ParseCsv(text)).Message;

    private static string JsonRefusal(string json) => Assert.Throws<VenueFormatException>(() => CftcCot.ParseJson(json)).Message;

    // ---- Parse: CSV or JSON ----

    [Fact]
    public void Text_starting_with_a_list_is_read_as_json_even_after_blank_space()
    {
        var rows = CftcCot.Parse(" \r\n [{\"report_date_as_yyyy_mm_dd\":\"2026-01-06T00:00:00.000\",\"cftc_contract_market_code\":\"133742\",\"open_interest_all\":\"1000\"}]");

        Assert.Equal([new CotRow(new DateOnly(2026, 1, 6), "133742", 1000, null, "")], rows);
    }

    [Fact]
    public void Text_starting_with_an_object_is_read_as_json() =>
        Assert.Equal("cftc: expected a list, got Object", Assert.Throws<VenueFormatException>(() => CftcCot.Parse(" \n{\"error\":true}")).Message);

    [Fact]
    public void Other_text_is_read_as_csv()
    {
        Assert.Equal([new CotRow(Feb6, "133741", 20_897, 218, "BITCOIN")], CftcCot.Parse(Csv(Header, "\"BITCOIN\",2024-02-06,133741 ,20897,218")));
        Assert.Equal("cftc: empty file", Assert.Throws<VenueFormatException>(() => CftcCot.Parse("")).Message);
    }

    // ---- ParseCsv ----

    [Fact]
    public void Each_csv_row_is_the_cells_of_its_columns_with_padding_removed()
    {
        var rows = CftcCot.ParseCsv(Csv(
            Header,
            "\"BITCOIN - CHICAGO MERCANTILE EXCHANGE  \", 2024-02-06 ,133741    ,     20897,      218",
            "\"MICRO BITCOIN - CHICAGO MERCANTILE EXCHANGE\",2024-02-06,133742,16080,-4071"));

        Assert.Equal(
            [
                new CotRow(Feb6, "133741", 20_897, 218, "BITCOIN - CHICAGO MERCANTILE EXCHANGE"),
                new CotRow(Feb6, "133742", 16_080, -4_071, "MICRO BITCOIN - CHICAGO MERCANTILE EXCHANGE"),
            ],
            rows);
    }

    [Fact]
    public void Quoted_cells_keep_their_commas_and_doubled_quotes_also_in_the_last_column()
    {
        const string header = "\"As of Date in Form YYYY-MM-DD\",\"CFTC Contract Market Code\",\"Open Interest (All)\",\"Market and Exchange Names\"";

        var row = Assert.Single(CftcCot.ParseCsv(Csv(header, "2024-02-06,\"133742\",16080,\"MICRO BITCOIN, \"\"MBT\"\" - CME\"")));

        Assert.Equal(new CotRow(Feb6, "133742", 16_080, null, "MICRO BITCOIN, \"MBT\" - CME"), row);
    }

    [Fact]
    public void Header_names_are_matched_without_case_or_padding()
    {
        const string header = " market and exchange names , as of date in form yyyy-mm-dd ,CFTC CONTRACT MARKET CODE,open interest (all), change in open interest (all) ";

        Assert.Equal([new CotRow(Feb6, "133741", 5, -1, "B")], CftcCot.ParseCsv(Csv(header, "B,2024-02-06,133741,5,-1")));
    }

    [Fact]
    public void A_change_column_in_first_place_is_read() =>
        Assert.Equal(
            -120L,
            Assert.Single(CftcCot.ParseCsv(Csv("\"Change in Open Interest (All)\",\"Market and Exchange Names\",\"As of Date in Form YYYY-MM-DD\",\"CFTC Contract Market Code\",\"Open Interest (All)\"", "-120,B,2024-02-06,133741,100"))).ChangeInOpenInterest);

    [Theory]
    [InlineData("\"B\",2024-02-06,133741,100")]     // the line stops before the change column
    [InlineData("\"B\",2024-02-06,133741,100,n/a")] // not a count
    [InlineData("\"B\",2024-02-06,133741,100,")]    // empty
    public void A_change_cell_that_is_absent_or_not_a_count_is_no_change(string line) =>
        Assert.Equal(new CotRow(Feb6, "133741", 100, null, "B"), Assert.Single(CftcCot.ParseCsv(Csv(Header, line))));

    [Fact]
    public void Without_a_change_column_rows_have_no_change() =>
        Assert.Equal(
            [new CotRow(Feb6, "133741", 100, null, "B")],
            CftcCot.ParseCsv(Csv("\"Market and Exchange Names\",\"As of Date in Form YYYY-MM-DD\",\"CFTC Contract Market Code\",\"Open Interest (All)\"", "B,2024-02-06,133741,100")));

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("+7", 7L)]
    public void Open_interest_of_zero_or_with_a_plus_sign_is_read(string cell, long expected) =>
        Assert.Equal(expected, Assert.Single(CftcCot.ParseCsv(Csv(Header, $"B,2024-02-06,133741,{cell},0"))).OpenInterest);

    [Fact]
    public void A_header_alone_is_no_rows() => Assert.Empty(CftcCot.ParseCsv(Header));

    [Fact]
    public void Empty_text_is_refused() => Assert.Equal("cftc: empty file", CsvRefusal(""));

    [Theory]
    [InlineData("Market and Exchange Names")]
    [InlineData("As of Date in Form YYYY-MM-DD")]
    [InlineData("CFTC Contract Market Code")]
    [InlineData("Open Interest (All)")]
    public void A_header_without_a_required_column_is_refused_naming_it(string column)
    {
        var header = string.Join(",", new[] { "Market and Exchange Names", "As of Date in Form YYYY-MM-DD", "CFTC Contract Market Code", "Open Interest (All)" }.Where(c => c != column));

        Assert.Equal($"cftc: column '{column}' is missing", CsvRefusal(Csv(header, "B,2024-02-06,133741")));
    }

    [Fact]
    public void Rows_of_other_contracts_are_skipped_whatever_their_cells_hold() =>
        Assert.Empty(CftcCot.ParseCsv(Csv(Header, "\"GOLD - COMMODITY EXCHANGE INC.\",last week,088691,n/a,-")));

    [Fact]
    public void Blank_lines_are_skipped_but_counted()
    {
        Assert.Single(CftcCot.ParseCsv(Csv(Header, "", "   ", "B,2024-02-06,133741,1,0", "\t")));
        Assert.Equal("cftc: line 4 has 3 fields", CsvRefusal(Csv(Header, "", "  ", "B,2024-02-06,133741")));
    }

    [Fact]
    public void The_line_number_counts_from_the_header() =>
        Assert.Equal("cftc: line 3 has 1 fields", CsvRefusal(Csv(Header, "B,2024-02-06,133741,1,0", "truncated")));

    [Theory]
    [InlineData("\"Market and Exchange Names\",\"As of Date in Form YYYY-MM-DD\",\"CFTC Contract Market Code\",\"Open Interest (All)\"", "B,2024-02-06,133741")]
    [InlineData("\"Market and Exchange Names\",\"Open Interest (All)\",\"CFTC Contract Market Code\",\"As of Date in Form YYYY-MM-DD\"", "B,100,133741")]
    [InlineData("\"Market and Exchange Names\",\"As of Date in Form YYYY-MM-DD\",\"Open Interest (All)\",\"CFTC Contract Market Code\"", "B,2024-02-06,100")]
    // Regression: the market name was left out of the check, so a name column last and a line without it threw
    // ArgumentOutOfRangeException instead of this refusal.
    [InlineData("\"As of Date in Form YYYY-MM-DD\",\"CFTC Contract Market Code\",\"Open Interest (All)\",\"Market and Exchange Names\"", "2024-02-06,133741,100")]
    public void A_line_that_stops_before_the_last_required_column_is_refused(string header, string line) =>
        Assert.Equal("cftc: line 2 has 3 fields", CsvRefusal(Csv(header, line)));

    [Theory]
    [InlineData("B, 06/02/2024 ,133741,1,0", "cftc: line 2: bad date '06/02/2024'")]
    [InlineData("B,2024-2-6,133741,1,0", "cftc: line 2: bad date '2024-2-6'")]
    [InlineData("B,2024-02-06,133741, n/a ,0", "cftc: line 2: bad open interest 'n/a'")]
    [InlineData("B,2024-02-06,133741,  -5,0", "cftc: line 2: bad open interest '-5'")]
    [InlineData("B,2024-02-06,133741,1.5,0", "cftc: line 2: bad open interest '1.5'")]
    [InlineData("B,2024-02-06,133741,,0", "cftc: line 2: bad open interest ''")]
    public void A_bitcoin_row_with_a_bad_date_or_open_interest_is_refused_with_the_cell(string line, string reason) =>
        Assert.Equal(reason, CsvRefusal(Csv(Header, line)));

    // ---- ParseCsv: quoting (RFC 4180, read by Sep) ----

    [Fact]
    public void A_quoted_market_name_keeps_its_comma_and_quoted_numbers_and_codes_are_read()
    {
        var row = Assert.Single(CftcCot.ParseCsv(Csv(Header, "\"BITCOIN - CHICAGO MERCANTILE EXCHANGE, INC\",\"2024-02-06\",\"133741 \",\"  20897\",\" -218\"")));

        Assert.Equal(new CotRow(Feb6, "133741", 20_897, -218, "BITCOIN - CHICAGO MERCANTILE EXCHANGE, INC"), row);
    }

    [Fact]
    public void Crlf_line_endings_read_as_lf_ones_with_the_same_line_numbers()
    {
        Assert.Single(CftcCot.ParseCsv(string.Join("\r\n", Header, "\"B, INC\",2024-02-06,133741,1,0", "") + "\r\n"));
        Assert.Equal("cftc: line 4 has 3 fields", CsvRefusal(string.Join("\r\n", Header, "\"B, INC\",2024-02-06,133741,1,0", "", "B,2024-02-06,133741") + "\r\n"));
    }

    [Fact]
    public void A_byte_order_mark_before_the_header_is_skipped() =>
        Assert.Single(CftcCot.ParseCsv("\uFEFF" + Csv(Header, "B,2024-02-06,133741,1,0")));

    [Fact]
    public void A_line_break_inside_quotes_refuses_the_file_naming_its_lines_whatever_the_contract()
    {
        Assert.Equal(
            "cftc: line 3: a quoted cell runs on to line 4 (a line break inside quotes, or a quote left open)",
            CsvRefusal(Csv(Header, "B,2024-02-06,133741,1,0", "\"GOLD -", "COMEX\",2024-02-06,088691,5,0", "B,2024-02-13,133741,2,1")));
    }

    [Fact]
    public void A_quote_left_open_refuses_the_file_instead_of_swallowing_the_rows_after_it() =>
        Assert.Equal(
            "cftc: line 2: a quoted cell runs on to line 4 (a line break inside quotes, or a quote left open)",
            CsvRefusal(Csv(Header, "\"GOLD - COMEX,2024-02-06,088691,5,0", "B,2024-02-06,133741,1,0")));

    [Fact]
    public void A_header_running_over_lines_is_refused() =>
        Assert.Equal(
            "cftc: the header runs on to line 2 (a line break inside quotes, or a quote left open)",
            CsvRefusal(Csv("\"Market and", "Exchange Names\",\"As of Date in Form YYYY-MM-DD\",\"CFTC Contract Market Code\",\"Open Interest (All)\"", "B,2024-02-06,133741,1")));

    // ---- ParseJson ----

    [Fact]
    public void Each_json_row_is_the_values_of_its_fields_trimmed()
    {
        const string json = """
            [{"report_date_as_yyyy_mm_dd":"2026-01-06T00:00:00.000","cftc_contract_market_code":"133741 ","market_and_exchange_names":" BITCOIN - CHICAGO MERCANTILE EXCHANGE ","open_interest_all":"24000","change_in_open_interest_all":"-120"},
             {"report_date_as_yyyy_mm_dd":"2025-12-30","cftc_contract_market_code":"133742","market_and_exchange_names":"MICRO BITCOIN","open_interest_all":16080,"change_in_open_interest_all":500}]
            """;

        Assert.Equal(
            [
                new CotRow(new DateOnly(2026, 1, 6), "133741", 24_000, -120, "BITCOIN - CHICAGO MERCANTILE EXCHANGE"),
                new CotRow(new DateOnly(2025, 12, 30), "133742", 16_080, 500, "MICRO BITCOIN"),
            ],
            CftcCot.ParseJson(json));
    }

    [Theory]
    [InlineData("""[{"report_date_as_yyyy_mm_dd":"2026-01-06","cftc_contract_market_code":"133741","open_interest_all":"0"}]""")]
    [InlineData("""[{"report_date_as_yyyy_mm_dd":"2026-01-06","cftc_contract_market_code":"133741","open_interest_all":"0","change_in_open_interest_all":""}]""")]
    [InlineData("""[{"report_date_as_yyyy_mm_dd":"2026-01-06","cftc_contract_market_code":"133741","open_interest_all":0,"change_in_open_interest_all":null,"market_and_exchange_names":null}]""")]
    public void A_json_row_without_change_or_market_name_has_none(string json) =>
        Assert.Equal([new CotRow(new DateOnly(2026, 1, 6), "133741", 0, null, "")], CftcCot.ParseJson(json));

    [Fact]
    public void Json_rows_without_a_contract_code_are_skipped() =>
        Assert.Empty(CftcCot.ParseJson("""[{"report_date_as_yyyy_mm_dd":"2026-01-06","open_interest_all":"5"},{"cftc_contract_market_code":"","open_interest_all":"5"}]"""));

    [Theory]
    [InlineData("""[{"cftc_contract_market_code":"133741","report_date_as_yyyy_mm_dd":"2026-01-06"}]""", "cftc: 'open_interest_all' is missing")]
    [InlineData("""[{"cftc_contract_market_code":"133741","report_date_as_yyyy_mm_dd":"2026-01-06","open_interest_all":""}]""", "cftc: 'open_interest_all' is missing")]
    [InlineData("""[{"cftc_contract_market_code":"133741","report_date_as_yyyy_mm_dd":"2026-01-06","open_interest_all":"1.5"}]""", "cftc open_interest_all: expected a whole number, got 1.5")]
    [InlineData("""[{"cftc_contract_market_code":"133741","report_date_as_yyyy_mm_dd":"2026-01-06","open_interest_all":"-5"}]""", "cftc open_interest_all: negative (-5)")]
    [InlineData("""[{"cftc_contract_market_code":"133741","report_date_as_yyyy_mm_dd":"2026-01-06","open_interest_all":"lots"}]""", "open_interest_all: not a number (\"lots\")")]
    [InlineData("""[{"cftc_contract_market_code":"133742","report_date_as_yyyy_mm_dd":"2026-01-06","open_interest_all":"5","change_in_open_interest_all":"2.5"}]""", "cftc change_in_open_interest_all: expected a whole number, got 2.5")]
    [InlineData("""[{"cftc_contract_market_code":"133742","report_date_as_yyyy_mm_dd":"","open_interest_all":"5"}]""", "cftc: 'report_date_as_yyyy_mm_dd' is missing")]
    public void A_json_bitcoin_row_with_a_bad_count_is_refused_with_the_field(string json, string reason) =>
        Assert.Equal(reason, JsonRefusal(json));

    [Fact]
    public void Json_that_does_not_parse_is_refused_as_cftc() =>
        Assert.StartsWith("cftc: not valid JSON (", JsonRefusal("[{\"a\":"), StringComparison.Ordinal);

    // ---- Request ----

    [Fact]
    public void The_request_is_named_for_the_cftc_bitcoin_recording()
    {
        var request = CftcCot.Request(new CftcOptions { Dataset = "abcd-1234", BaseUrl = new Uri("https://example.test") }, reports: 1);

        Assert.Equal("bitcoin", request.Symbol);
        Assert.Equal(new Uri("https://example.test"), request.BaseUrl);
        Assert.Equal("/resource/abcd-1234.json", request.Path);
        Assert.Equal("2", request.Query.Single(q => q.Key == "$limit").Value);
    }

    [Fact]
    public void Contract_sizes_are_5_btc_and_a_tenth_of_a_btc()
    {
        Assert.Equal("133741", CftcCot.BitcoinCode);
        Assert.Equal("133742", CftcCot.MicroBitcoinCode);
        Assert.Equal(5m, CftcCot.BtcPerContract["133741"]);
        Assert.Equal(0.1m, CftcCot.BtcPerContract["133742"]);
        Assert.Equal(2, CftcCot.BtcPerContract.Count);
    }
}
