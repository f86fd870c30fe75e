using System.Text.Json;
using Tapewatch.Core.Derivatives;

namespace Tapewatch.Tests.Derivatives;

/// <summary>
/// The lenient venue JSON readers: what they accept, and the reason they give for what they refuse (a format error,
/// never an overflow or a wrong number). Also the CFTC query, which decides which contracts and how many reports arrive.
/// </summary>
public sealed class VenueJsonRejectionTests
{
    private static decimal? ValueOf(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return VenueJson.Value(doc.RootElement, "x");
    }

    private static string Refusal(string json) => Assert.Throws<VenueFormatException>(() => ValueOf(json)).Message;

    [Theory]
    [InlineData("12.5", "12.5")]
    [InlineData("\" 0.00007995 \"", "0.00007995")]
    [InlineData("\"1e-3\"", "0.001")]
    [InlineData("-3", "-3")]
    [InlineData("1e20", "100000000000000000000")]
    public void Numbers_arrive_as_numbers_or_strings(string json, string expected) =>
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), ValueOf(json));

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"   \"")]
    [InlineData("null")]
    public void Empty_strings_and_null_are_no_value(string json) => Assert.Null(ValueOf(json));

    [Fact]
    public void A_number_beyond_decimal_is_refused_as_out_of_range() =>
        Assert.Equal("x: number out of range (1e30)", Refusal("1e30"));

    [Fact]
    public void A_number_decimal_cannot_hold_exactly_but_can_approximate_is_read() =>
        Assert.Equal(10_000_000_000_000_000_000_000_000_000m, ValueOf("1e28"));

    [Fact]
    public void A_string_that_is_not_a_number_is_refused_with_its_text() =>
        Assert.Equal("x: not a number (\"abc\")", Refusal("\"abc\""));

    [Fact]
    public void A_long_string_is_cut_in_the_reason() =>
        Assert.Equal($"x: not a number (\"{new string('z', 40)}…\")", Refusal($"\"{new string('z', 100)}\""));

    [Theory]
    [InlineData("true", "True")]
    [InlineData("[]", "Array")]
    [InlineData("{}", "Object")]
    public void Other_kinds_are_refused_with_their_kind(string json, string kind) =>
        Assert.Equal($"x: expected a number, got {kind}", Refusal(json));

    [Fact]
    public void Text_that_is_not_json_is_a_format_error_naming_the_source()
    {
        Assert.StartsWith("okx: not valid JSON (", Assert.Throws<VenueFormatException>(() => VenueJson.Parse("{\"a\":", "okx")).Message, StringComparison.Ordinal);
        Assert.StartsWith("okx: not valid JSON (", Assert.Throws<VenueFormatException>(() => VenueJson.Parse("\ud800", "okx")).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("5", 5L)]
    [InlineData("-9223372036854775808", long.MinValue)]
    public void Whole_numbers_within_long_are_read(string value, long expected) =>
        Assert.Equal(expected, VenueJson.WholeNumber(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), "oi"));

    [Theory]
    [InlineData("5.5")]
    [InlineData("9223372036854775808")]
    public void Fractions_and_counts_beyond_long_are_refused(string value) =>
        Assert.Equal($"oi: expected a whole number, got {value}", Assert.Throws<VenueFormatException>(() => VenueJson.WholeNumber(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), "oi")).Message);

    [Fact]
    public void Timestamps_outside_the_calendar_are_refused_not_overflowed()
    {
        Assert.Equal(DateTimeOffset.MaxValue.AddTicks(-(DateTimeOffset.MaxValue.Ticks % TimeSpan.TicksPerMillisecond)), VenueJson.FromUnixMilliseconds(253_402_300_799_999m, "t"));
        Assert.Equal("t: timestamp out of range (253402300800000)", Assert.Throws<VenueFormatException>(() => VenueJson.FromUnixMilliseconds(253_402_300_800_000m, "t")).Message);
        Assert.Equal("t: timestamp out of range (-62135596801)", Assert.Throws<VenueFormatException>(() => VenueJson.FromUnixSeconds(-62_135_596_801m, "t")).Message);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddSeconds(1), VenueJson.FromUnixSeconds(1m, "t"));
    }

    [Fact]
    public void The_cftc_query_asks_for_both_bitcoin_contracts_newest_first_two_rows_a_report()
    {
        var request = CftcCot.Request(new CftcOptions(), reports: 3);

        Assert.Equal("cftc", request.Venue);
        Assert.Equal("/resource/6dca-aqww.json", request.Path);
        Assert.Equal(
            [
                new("$select", "report_date_as_yyyy_mm_dd,cftc_contract_market_code,market_and_exchange_names,open_interest_all,change_in_open_interest_all"),
                new("$where", $"cftc_contract_market_code in('{CftcCot.BitcoinCode}','{CftcCot.MicroBitcoinCode}')"),
                new("$order", "report_date_as_yyyy_mm_dd DESC"),
                new KeyValuePair<string, string>("$limit", "6"),
            ],
            request.Query);
        Assert.StartsWith("https://publicreporting.cftc.gov/resource/6dca-aqww.json?%24select=", request.Uri.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("8", CftcCot.Request(new CftcOptions()).Query.Single(q => q.Key == "$limit").Value);
    }

    [Theory]
    [InlineData("""[{"cftc_contract_market_code":"133741","report_date_as_yyyy_mm_dd":"last tuesday","open_interest_all":"1"}]""", "cftc: bad report date 'last tuesday'")]
    [InlineData("""[{"cftc_contract_market_code":"133741","open_interest_all":"1"}]""", "cftc: 'report_date_as_yyyy_mm_dd' is missing")]
    [InlineData("""{"rows":[]}""", "cftc: expected a list, got Object")]
    public void Cftc_rows_of_a_bitcoin_contract_without_a_readable_date_refuse_the_answer(string json, string reason) =>
        Assert.Equal(reason, Assert.Throws<VenueFormatException>(() => CftcCot.ParseJson(json)).Message);

    [Fact]
    public void Cftc_rows_of_other_contracts_are_ignored_whatever_they_hold() =>
        Assert.Empty(CftcCot.ParseJson("""[{"cftc_contract_market_code":"999999","report_date_as_yyyy_mm_dd":"garbage"}]"""));
}
