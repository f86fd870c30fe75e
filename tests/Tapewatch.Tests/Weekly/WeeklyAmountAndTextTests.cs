using Tapewatch.Core.Weekly;

namespace Tapewatch.Tests.Weekly;

/// <summary>
/// The building blocks of <see cref="WeeklyReportParser"/>: amounts ("US$1.17bn" → whole USD), the text clean-up
/// (non-breaking spaces, "U.S.", "US $") and the split into sentences.
/// </summary>
public sealed class WeeklyAmountAndTextTests
{
    [Theory]
    [InlineData("US$2tn", 2_000_000_000_000L)]
    [InlineData("US$1.5 trillion", 1_500_000_000_000L)]
    [InlineData("US$3bn", 3_000_000_000L)]
    [InlineData("US$3b", 3_000_000_000L)]
    [InlineData("US$3 billion", 3_000_000_000L)]
    [InlineData("US$7m", 7_000_000L)]
    [InlineData("US$7mn", 7_000_000L)]
    [InlineData("US$7 million", 7_000_000L)]
    [InlineData("US$9k", 9_000L)]
    [InlineData("US$9 thousand", 9_000L)]
    [InlineData("US$1.17BN", 1_170_000_000L)]
    [InlineData("US$946M", 946_000_000L)]
    [InlineData("US$2Tn", 2_000_000_000_000L)]
    [InlineData("US$9K", 9_000L)]
    [InlineData("USD423m", 423_000_000L)]
    [InlineData("$ 5m", 5_000_000L)]
    [InlineData("US$ 5 m", 5_000_000L)]
    [InlineData("US$1,234m", 1_234_000_000L)]
    [InlineData("US$1,234,567", 1_234_567L)]
    [InlineData("US$0.0000005m", 1L)] // half a dollar rounds away from zero
    [InlineData("US$0.0000025m", 3L)] // not to even
    [InlineData("US$0.0000004m", 0L)]
    public void Every_unit_scales_the_number_to_whole_dollars(string text, long expected)
    {
        Assert.True(WeeklyReportParser.TryParseAmount(text, out var usd));
        Assert.Equal(expected, usd);
    }

    [Fact]
    public void The_largest_whole_dollar_amount_is_long_max_and_one_more_is_refused()
    {
        Assert.True(WeeklyReportParser.TryParseAmount("US$9,223,372,036,854,775,807", out var max));
        Assert.Equal(long.MaxValue, max);

        Assert.False(WeeklyReportParser.TryParseAmount("US$9,223,372,036,854,775,808", out var over));
        Assert.Equal(0L, over);
    }

    [Theory]
    [InlineData("US$10,000,000tn")]
    [InlineData("US$9223372.036854775808tn")]
    [InlineData("US$99,999,999,999,999,999,999,999,999,999,999,999")]
    public void An_amount_beyond_long_is_refused_not_thrown(string text)
    {
        Assert.False(WeeklyReportParser.TryParseAmount(text, out var usd));
        Assert.Equal(0L, usd);
    }

    [Theory]
    [InlineData("")]
    [InlineData("nothing")]
    [InlineData("US$150000")] // whole dollars need their thousands separators
    [InlineData("US$1,000.5")] // whole dollars have no cents
    [InlineData("US$946")] // no unit
    [InlineData("946m")] // no currency
    [InlineData("EUR 946m")]
    [InlineData("US$946m of outflows")] // more than the amount
    [InlineData(" US$946m")] // not at the start
    [InlineData("xUS$946m")]
    [InlineData("US$946mx")]
    [InlineData("US$946m$")]
    [InlineData("US$1.2.3m")]
    public void Anything_but_exactly_one_amount_is_refused(string text)
    {
        Assert.False(WeeklyReportParser.TryParseAmount(text, out var usd));
        Assert.Equal(0L, usd);
    }

    [Fact]
    public void Null_is_refused()
    {
        Assert.False(WeeklyReportParser.TryParseAmount(null!, out var usd));
        Assert.Equal(0L, usd);
    }

    [Fact]
    public void Trailing_whitespace_after_the_amount_is_ignored()
    {
        Assert.True(WeeklyReportParser.TryParseAmount("US$946m  ", out var usd));
        Assert.Equal(946_000_000L, usd);
    }

    [Fact]
    public void Known_assets_and_regions_are_listed_with_their_canonical_keys_in_order()
    {
        Assert.Equal(new[] { "Bitcoin", "Ethereum", "Solana", "XRP", "Multi-asset", "Short-bitcoin" }, WeeklyReportParser.KnownAssets);
        Assert.Equal(
            new[] { "United States", "Germany", "Switzerland", "Canada", "Sweden", "Brazil", "Hong Kong", "Australia", "Netherlands", "France" },
            WeeklyReportParser.KnownRegions);
    }

    [Theory]
    [InlineData("a\u00A0b\u202Fc\u2009d", "a b c d")]
    [InlineData("short\u2011bitcoin multi\u2010asset year\u2013to\u2013date it\u2019s", "short-bitcoin multi-asset year-to-date it's")]
    [InlineData("the U.S. and the U.S.A. saw", "the US and the US saw")]
    [InlineData("outflows of US $5m and US  $6m", "outflows of US$5m and US$6m")]
    [InlineData("BUS $5m", "BUS $5m")]
    [InlineData("plain text", "plain text")]
    public void Normalize_makes_spaces_dashes_quotes_and_us_spellings_uniform(string text, string expected)
    {
        Assert.Equal(expected, WeeklyReportParser.Normalize(text));
    }

    [Theory]
    [InlineData("Inflows rose. Outflows fell! Why? Nobody knows.", "Inflows rose.|Outflows fell!|Why?|Nobody knows.")]
    [InlineData("Bitcoin saw US$1.17bn. 2025 was busy.", "Bitcoin saw US$1.17bn.|2025 was busy.")]
    [InlineData("It ended. \u201CQuoted\u201D text.", "It ended.|\u201CQuoted\u201D text.")]
    [InlineData("It ended. \"Quoted\" text.", "It ended.|\"Quoted\" text.")]
    [InlineData("It ended. \u2018Quoted\u2019 text.", "It ended.|\u2018Quoted\u2019 text.")]
    [InlineData("It ended. 'Quoted' text.", "It ended.|'Quoted' text.")]
    [InlineData("It ended. (Aside) text.", "It ended.|(Aside) text.")]
    [InlineData("It ended. [Note] text.", "It ended.|[Note] text.")]
    [InlineData("It ended. and went on.", "It ended. and went on.")] // a lower-case word does not open a sentence
    [InlineData("It ended.Then went on.", "It ended.Then went on.")] // nor does a word with no space before it
    [InlineData("Inflows of US$1.5m were seen", "Inflows of US$1.5m were seen")]
    public void Sentences_break_after_end_punctuation_before_a_capital_digit_quote_or_bracket(string text, string expected)
    {
        Assert.Equal(expected.Split('|'), WeeklyReportParser.Sentences(text).ToArray());
    }

    [Fact]
    public void Sentences_break_at_each_paragraph_collapse_whitespace_and_skip_blank_lines()
    {
        var sentences = WeeklyReportParser.Sentences("  First\t\tline   here  \n\n   \nSecond line. Third  one\n").ToArray();

        Assert.Equal(new[] { "First line here", "Second line.", "Third one" }, sentences);
    }
}
