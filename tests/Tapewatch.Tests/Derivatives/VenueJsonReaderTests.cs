using System.Globalization;
using System.Text.Json;
using Tapewatch.Core.Derivatives;

namespace Tapewatch.Tests.Derivatives;

/// <summary>
/// The JSON helpers every venue parser uses: which property they read, what counts as no value, and the exact reason
/// each refusal gives (the reason is shown to the operator as the venue's note).
/// </summary>
public sealed class VenueJsonReaderTests
{
    private static JsonElement Element(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    private static string Refusal(Action read) => Assert.Throws<VenueFormatException>(read).Message;

    private static DateTimeOffset Utc(int y, int m, int d, int h = 0) => new(y, m, d, h, 0, 0, TimeSpan.Zero);

    // ---- Parse ----

    [Fact]
    public void Parse_returns_the_document_of_valid_json()
    {
        using var doc = VenueJson.Parse("""{"a":[1,2]}""", "okx");
        Assert.Equal(2, doc.RootElement.GetProperty("a").GetArrayLength());
    }

    [Fact]
    public void Text_that_is_not_json_names_the_source_and_carries_the_parser_reason()
    {
        var ex = Assert.Throws<VenueFormatException>(() => VenueJson.Parse("{\"a\":", "okx"));

        var inner = Assert.IsAssignableFrom<JsonException>(ex.InnerException);
        Assert.Equal($"okx: not valid JSON ({inner.Message})", ex.Message);
    }

    [Fact]
    public void Text_with_a_lone_surrogate_is_not_json_either()
    {
        var ex = Assert.Throws<VenueFormatException>(() => VenueJson.Parse("\ud800", "bybit"));

        var inner = Assert.IsAssignableFrom<ArgumentException>(ex.InnerException);
        Assert.Equal($"bybit: not valid JSON ({inner.Message})", ex.Message);
    }

    // ---- Decimal / Value / RequiredDecimal ----

    [Theory]
    [InlineData("""{"x":"12.5"}""", "12.5")]
    [InlineData("""{"x":12.5}""", "12.5")]
    [InlineData("""{"y":1,"x":"-0.25"}""", "-0.25")]
    public void Decimal_reads_the_named_property(string json, string expected) =>
        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), VenueJson.Decimal(Element(json), "x"));

    [Theory]
    [InlineData("""{"y":1}""")]
    [InlineData("""{"x":null}""")]
    [InlineData("""{"x":""}""")]
    [InlineData("""[1,2]""")]
    [InlineData("""5""")]
    [InlineData("""null""")]
    public void Decimal_is_null_when_the_property_is_absent_null_or_empty_or_the_element_is_no_object(string json) =>
        Assert.Null(VenueJson.Decimal(Element(json), "x"));

    [Fact]
    public void Decimal_refusals_name_the_property() =>
        Assert.Equal("fundingRate: not a number (\"n/a\")", Refusal(() => VenueJson.Decimal(Element("""{"fundingRate":"n/a"}"""), "fundingRate")));

    [Fact]
    public void A_number_with_more_digits_than_a_double_holds_is_read_exactly() =>
        Assert.Equal(28543.1750000000943m, VenueJson.Value(Element("28543.1750000000943"), "x"));

    [Fact]
    public void Value_of_an_undefined_element_is_no_value() =>
        Assert.Null(VenueJson.Value(default, "x"));

    [Theory]
    [InlineData("0", "0")]
    [InlineData("\"+7\"", "7")]
    [InlineData("\"\\t-0.5\\n\"", "-0.5")]
    [InlineData("\"1.5E+3\"", "1500")]
    public void Value_reads_numbers_and_padded_numeric_strings(string json, string expected) =>
        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), VenueJson.Value(Element(json), "x"));

    [Theory]
    [InlineData("-1e30", "x: number out of range (-1e30)")]
    [InlineData("8e28", "x: number out of range (8e28)")]
    [InlineData("\"1,5\"", "x: not a number (\"1,5\")")]
    [InlineData("\" abc \"", "x: not a number (\"abc\")")]
    [InlineData("false", "x: expected a number, got False")]
    public void Value_refusals_give_their_reason(string json, string reason) =>
        Assert.Equal(reason, Refusal(() => VenueJson.Value(Element(json), "x")));

    [Fact]
    public void A_string_of_forty_characters_is_shown_whole_and_one_of_forty_one_is_cut()
    {
        var forty = new string('q', 40);
        Assert.Equal($"x: not a number (\"{forty}\")", Refusal(() => VenueJson.Value(Element($"\"{forty}\""), "x")));
        Assert.Equal($"x: not a number (\"{forty}…\")", Refusal(() => VenueJson.Value(Element($"\"{forty}r\""), "x")));
    }

    [Fact]
    public void Required_decimal_is_the_value_when_present() =>
        Assert.Equal(106_499.782m, VenueJson.RequiredDecimal(Element("""{"openInterest":"106499.782"}"""), "openInterest", "binance openInterest"));

    [Theory]
    [InlineData("""{"other":"1"}""")]
    [InlineData("""{"openInterest":""}""")]
    [InlineData("""{"openInterest":null}""")]
    public void Required_decimal_refuses_a_missing_or_empty_field_naming_the_source_and_field(string json) =>
        Assert.Equal("binance openInterest: field 'openInterest' is missing or empty", Refusal(() => VenueJson.RequiredDecimal(Element(json), "openInterest", "binance openInterest")));

    // ---- Millis ----

    [Theory]
    [InlineData("""{"ts":"1788883200001"}""", 1788883200001L)]
    [InlineData("""{"ts":1788883200001}""", 1788883200001L)]
    [InlineData("""{"ts":1}""", 1L)]
    public void Millis_reads_a_millisecond_timestamp_from_a_string_or_number(string json, long ms) =>
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(ms), VenueJson.Millis(Element(json), "ts"));

    [Theory]
    [InlineData("""{"ts":"0"}""")]
    [InlineData("""{"ts":-5}""")]
    [InlineData("""{"ts":""}""")]
    [InlineData("""{"other":1}""")]
    public void Millis_is_null_for_a_missing_empty_zero_or_negative_time(string json) =>
        Assert.Null(VenueJson.Millis(Element(json), "ts"));

    [Fact]
    public void Millis_beyond_the_calendar_is_refused_with_the_property_name() =>
        Assert.Equal("ts: timestamp out of range (253402300800000)", Refusal(() => VenueJson.Millis(Element("""{"ts":253402300800000}"""), "ts")));

    // ---- FromUnixMilliseconds / FromUnixSeconds ----

    [Fact]
    public void Milliseconds_at_the_first_calendar_instant_are_read_and_one_before_is_refused()
    {
        Assert.Equal(DateTimeOffset.MinValue, VenueJson.FromUnixMilliseconds(-62_135_596_800_000m, "t"));
        Assert.Equal("t: timestamp out of range (-62135596800001)", Refusal(() => VenueJson.FromUnixMilliseconds(-62_135_596_800_001m, "t")));
    }

    [Fact]
    public void Milliseconds_are_read_whole() =>
        Assert.Equal(DateTimeOffset.UnixEpoch.AddMilliseconds(1500), VenueJson.FromUnixMilliseconds(1500.9m, "t"));

    [Fact]
    public void Seconds_at_the_first_and_last_calendar_second_are_read_and_beyond_are_refused()
    {
        Assert.Equal(DateTimeOffset.MinValue, VenueJson.FromUnixSeconds(-62_135_596_800m, "t"));
        Assert.Equal(new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero), VenueJson.FromUnixSeconds(253_402_300_799m, "t"));
        Assert.Equal("t: timestamp out of range (253402300800)", Refusal(() => VenueJson.FromUnixSeconds(253_402_300_800m, "t")));
        Assert.Equal("candle time: timestamp out of range (-62135596800.5)", Refusal(() => VenueJson.FromUnixSeconds(-62_135_596_800.5m, "candle time")));
    }

    [Fact]
    public void Seconds_are_read_as_seconds() =>
        Assert.Equal(Utc(2026, 1, 13, 21), VenueJson.FromUnixSeconds(1_768_338_000m, "t"));

    // ---- WholeNumber ----

    [Theory]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("0", 0L)]
    [InlineData("-42", -42L)]
    [InlineData("20897.000", 20897L)]
    public void Whole_numbers_up_to_long_max_are_read(string value, long expected) =>
        Assert.Equal(expected, VenueJson.WholeNumber(decimal.Parse(value, CultureInfo.InvariantCulture), "oi"));

    [Theory]
    [InlineData("-9223372036854775809")]
    [InlineData("-0.5")]
    [InlineData("0.1")]
    public void Counts_below_long_min_and_fractions_are_refused(string value) =>
        Assert.Equal($"oi: expected a whole number, got {value}", Refusal(() => VenueJson.WholeNumber(decimal.Parse(value, CultureInfo.InvariantCulture), "oi")));

    // ---- String ----

    [Fact]
    public void String_reads_a_non_empty_string_property() =>
        Assert.Equal("BTC-USDT-SWAP", VenueJson.String(Element("""{"n":1,"instId":"BTC-USDT-SWAP"}"""), "instId"));

    [Fact]
    public void String_keeps_the_text_as_sent() =>
        Assert.Equal(" 133741 ", VenueJson.String(Element("""{"code":" 133741 "}"""), "code"));

    [Theory]
    [InlineData("""{"instId":""}""")]
    [InlineData("""{"instId":null}""")]
    [InlineData("""{"instId":5}""")]
    [InlineData("""{"other":"x"}""")]
    [InlineData("""["instId"]""")]
    [InlineData("\"instId\"")]
    public void String_is_null_for_an_empty_absent_or_non_string_value_or_a_non_object(string json) =>
        Assert.Null(VenueJson.String(Element(json), "instId"));

    // ---- Array / Property ----

    [Fact]
    public void Array_returns_the_list_itself()
    {
        var list = VenueJson.Array(Element("[1,2,3]"), "okx data");
        Assert.Equal(JsonValueKind.Array, list.ValueKind);
        Assert.Equal(3, list.GetArrayLength());
    }

    [Theory]
    [InlineData("\"x\"", "okx data: expected a list, got String")]
    [InlineData("7", "okx data: expected a list, got Number")]
    [InlineData("null", "okx data: expected a list, got Null")]
    public void Array_refuses_anything_else_with_its_kind(string json, string reason) =>
        Assert.Equal(reason, Refusal(() => VenueJson.Array(Element(json), "okx data")));

    [Fact]
    public void Property_returns_the_named_value() =>
        Assert.Equal(42, VenueJson.Property(Element("""{"a":1,"result":42}"""), "result", "deribit").GetInt32());

    [Fact]
    public void Property_returns_a_null_value_that_is_present() =>
        Assert.Equal(JsonValueKind.Null, VenueJson.Property(Element("""{"result":null}"""), "result", "deribit").ValueKind);

    [Theory]
    [InlineData("""{"a":1}""")]
    [InlineData("""[{"result":1}]""")]
    [InlineData("3")]
    public void Property_refuses_a_missing_field_or_a_non_object(string json) =>
        Assert.Equal("deribit: field 'result' is missing", Refusal(() => VenueJson.Property(Element(json), "result", "deribit")));

    // ---- IntervalFrom ----

    [Fact]
    public void Interval_of_no_or_one_settlement_is_unknown()
    {
        Assert.Null(VenueJson.IntervalFrom([]));
        Assert.Null(VenueJson.IntervalFrom([Utc(2026, 1, 13, 8)]));
    }

    [Fact]
    public void Interval_of_two_settlements_is_their_spacing() =>
        Assert.Equal(TimeSpan.FromHours(8), VenueJson.IntervalFrom([Utc(2026, 1, 13, 0), Utc(2026, 1, 13, 8)]));

    [Fact]
    public void Interval_is_read_from_settlements_in_any_order() =>
        Assert.Equal(TimeSpan.FromHours(8), VenueJson.IntervalFrom([Utc(2026, 1, 13, 16), Utc(2026, 1, 13, 0), Utc(2026, 1, 13, 8)]));

    [Fact]
    public void Interval_is_the_upper_median_of_the_gaps()
    {
        // Gaps 1 h and 8 h: the median of an even count is the upper middle gap.
        Assert.Equal(TimeSpan.FromHours(8), VenueJson.IntervalFrom([Utc(2026, 1, 13, 0), Utc(2026, 1, 13, 1), Utc(2026, 1, 13, 9)]));

        // Gaps 4 h, 8 h, 8 h, 1 h (in time order): sorted 1, 4, 8, 8 → 8 h.
        Assert.Equal(TimeSpan.FromHours(8), VenueJson.IntervalFrom([Utc(2026, 1, 13, 0), Utc(2026, 1, 13, 4), Utc(2026, 1, 13, 12), Utc(2026, 1, 13, 20), Utc(2026, 1, 13, 21)]));
    }

    [Fact]
    public void Repeated_settlement_times_are_not_gaps()
    {
        var t = Utc(2026, 1, 13, 0);
        Assert.Equal(TimeSpan.FromHours(8), VenueJson.IntervalFrom([t, t, t, t.AddHours(8)]));
        Assert.Null(VenueJson.IntervalFrom([t, t, t]));
    }

    [Fact]
    public void Millisecond_jitter_is_rounded_to_the_hour()
    {
        var t = Utc(2026, 1, 13, 0);
        Assert.Equal(TimeSpan.FromHours(8), VenueJson.IntervalFrom([t, t.AddHours(8).AddMilliseconds(3), t.AddHours(16).AddMilliseconds(-2)]));
        Assert.Equal(TimeSpan.FromHours(8), VenueJson.IntervalFrom([t, t.AddHours(7.6)]));
    }

    [Fact]
    public void An_hourly_spacing_is_one_hour_and_anything_rounding_below_an_hour_is_unknown()
    {
        var t = Utc(2026, 1, 13, 0);
        Assert.Equal(TimeSpan.FromHours(1), VenueJson.IntervalFrom([t, t.AddHours(1)]));
        Assert.Null(VenueJson.IntervalFrom([t, t.AddMinutes(29)]));
    }
}
