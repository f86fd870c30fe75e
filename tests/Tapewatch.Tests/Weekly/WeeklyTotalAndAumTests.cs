using Tapewatch.Core.Weekly;

namespace Tapewatch.Tests.Weekly;

/// <summary>
/// The global total (named, or a "net … totalled" sentence with no name in front of it), the total assets under
/// management, and the two ways a report is refused: no total, or an amount beyond a 64-bit number of dollars.
/// </summary>
public sealed class WeeklyTotalAndAumTests
{
    private const string Lead = "Digital asset investment products saw outflows of US$1bn last week. ";

    private const string NoTotal =
        "the report prose states no global total (expected e.g. \"Digital asset investment products saw outflows totalling US$1.17bn\")";

    private const string OutOfRange =
        "an amount in the report is out of range (more than 9.2 quintillion USD); the report looks corrupted";

    private static WeeklyReportFigures Parse(string text) => WeeklyFixtures.ParsedProse(text);

    private static string Refused(string text)
    {
        Assert.Null(WeeklyReportParser.Parse(text, out var error));
        return error!;
    }

    [Theory]
    [InlineData("Net outflows totalled US$62m.", -62_000_000L)]
    [InlineData("Net inflows were US$62m.", 62_000_000L)]
    [InlineData("NET OUTFLOWS WERE US$62m.", -62_000_000L)]
    [InlineData("Outflows totalling US$62m were recorded.", -62_000_000L)]
    [InlineData("Outflows totaling US$62m were recorded.", -62_000_000L)]
    [InlineData("Outflows totalled US$62m.", -62_000_000L)]
    [InlineData("Outflows totaled US$62m.", -62_000_000L)]
    [InlineData("Outflows in total were US$62m.", -62_000_000L)]
    [InlineData("Net US$62m of outflows were recorded.", -62_000_000L)]
    [InlineData("Net outflows from crypto funds totalled US$62m.", -62_000_000L)]
    [InlineData("Flows were mixed. Net outflows continued. Net outflows totalled US$62m.", -62_000_000L)]
    [InlineData("Net outflows from Bitcoin totalled US$62m. Net inflows totalled US$5m.", 5_000_000L)]
    public void A_net_or_total_sentence_with_no_asset_or_country_before_the_figure_is_the_total(string text, long expected)
    {
        Assert.Equal(expected, Parse(text).TotalUsd);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Outflows were US$62m last week.")] // neither "net" nor "total"
    [InlineData("Net outflows from Bitcoin totalled US$62m.")] // an asset's figure
    [InlineData("Net outflows in Germany totalled US$62m.")] // a country's figure
    [InlineData("Net flows totalled US$62m.")] // no direction
    [InlineData("Net outflows so far this year totalled US$2bn.")] // cumulative
    [InlineData("Net outflows continued.")] // no figure
    [InlineData("Blockchain equities saw inflows of US$32m.")]
    [InlineData("Bitcoin saw outflows of US$932m. Germany saw inflows of US$41m.")]
    public void Without_a_global_total_the_report_is_refused_with_the_reason(string text)
    {
        Assert.Equal(NoTotal, Refused(text));
    }

    [Fact]
    public void The_first_net_sentence_wins()
    {
        Assert.Equal(-62_000_000L, Parse("Net outflows totalled US$62m. Net inflows totalled US$5m.").TotalUsd);
    }

    [Fact]
    public void A_named_total_beats_an_earlier_net_sentence()
    {
        Assert.Equal(5_000_000L, Parse("Net outflows totalled US$62m. Digital asset investment products saw inflows of US$5m.").TotalUsd);
    }

    [Fact]
    public void The_first_named_total_wins()
    {
        Assert.Equal(-1_000_000_000L, Parse("Digital asset investment products saw outflows of US$1bn. Crypto funds saw inflows of US$5m on Friday.").TotalUsd);
    }

    [Fact]
    public void The_largest_figure_a_long_holds_is_read_either_way()
    {
        Assert.Equal(long.MaxValue, Parse("Digital asset investment products saw inflows of US$9,223,372,036,854,775,807.").TotalUsd);
        Assert.Equal(-long.MaxValue, Parse("Digital asset investment products saw outflows of US$9,223,372,036,854,775,807.").TotalUsd);
    }

    [Theory]
    [InlineData("Digital asset investment products saw inflows of US$9,223,372,036,854,775,808.")]
    [InlineData("Digital asset investment products saw inflows of US$10,000,000tn.")]
    [InlineData("Bitcoin saw inflows of US$10,000,000tn. Digital asset investment products saw inflows of US$1bn.")]
    [InlineData("Net inflows totalled US$10,000,000tn.")]
    [InlineData("Digital asset investment products saw inflows of US$1bn. Total AuM rose to US$10,000,000tn.")]
    public void An_amount_beyond_a_long_refuses_the_report_as_corrupted(string text)
    {
        Assert.Equal(OutOfRange, Refused(text));
    }

    [Fact]
    public void Null_text_is_an_argument_error()
    {
        Assert.Throws<ArgumentNullException>(() => WeeklyReportParser.Parse(null!, out _));
    }

    [Theory]
    [InlineData("Total assets under management rose to US$254bn.", 254_000_000_000L)]
    [InlineData("Total AuM rose to US$254bn, up from US$240bn.", 254_000_000_000L)]
    [InlineData("Total AuM fell from US$264bn.", 264_000_000_000L)]
    [InlineData("Assets under management in total rose to US$254bn.", 254_000_000_000L)]
    [InlineData("With US$5bn of inflows, total AuM rose to US$254bn.", 254_000_000_000L)]
    [InlineData("This lifted TOTAL aum to US$254bn.", 254_000_000_000L)]
    [InlineData("AuM rose to US$254bn.", null)] // not said to be the total
    [InlineData("Total AuM was little changed.", null)] // no figure
    [InlineData("Total Ethereum assets under management rose to US$20bn.", null)] // one asset's
    public void Total_assets_under_management(string sentence, long? expected)
    {
        Assert.Equal(expected, Parse(Lead + sentence).AumUsd);
    }

    [Fact]
    public void The_first_stated_aum_wins()
    {
        Assert.Equal(254_000_000_000L, Parse(Lead + "Total AuM rose to US$254bn. Total AuM a year ago stood at US$100bn.").AumUsd);
    }

    [Fact]
    public void The_aum_figure_may_start_140_characters_after_the_word_but_not_141()
    {
        static string Sentence(int filler) => $"Total AuM {new string('z', filler)} US$254bn.";
        Assert.Equal(140, Sentence(138).IndexOf("US$", StringComparison.Ordinal) - "Total AuM".Length);

        Assert.Equal(254_000_000_000L, Parse(Lead + Sentence(138)).AumUsd);
        Assert.Null(Parse(Lead + Sentence(139)).AumUsd);
    }

    [Fact]
    public void An_asset_named_within_30_characters_before_aum_makes_it_that_assets()
    {
        static string Sentence(int gap) => "Bitcoin " + new string('z', gap - 2) + " AuM totalled US$150bn.";
        Assert.Equal(30, Sentence(23).IndexOf("AuM", StringComparison.Ordinal));

        Assert.Null(Parse(Lead + Sentence(23)).AumUsd);
        Assert.Equal(150_000_000_000L, Parse(Lead + Sentence(24)).AumUsd);
    }
}
