using Tapewatch.Core.Weekly;

namespace Tapewatch.Tests.Weekly;

/// <summary>
/// How <see cref="WeeklyReportParser"/> attaches each figure of the prose to the asset or country named before it:
/// the names it knows, the sign words, lists and "respectively", the window a figure must sit in, and the figures it
/// leaves out (cumulative, shared with an unknown name, too far away).
/// </summary>
public sealed class WeeklyProseAttributionTests
{
    private const string Lead = "Digital asset investment products saw outflows of US$1bn last week. ";

    private static WeeklyReportFigures Parse(string text) => WeeklyFixtures.ParsedProse(text);

    private static WeeklyReportFigures ParseAfterLead(string sentence) => Parse(Lead + sentence);

    [Theory]
    [InlineData("Bitcoin saw inflows of US$5m.", "Bitcoin")]
    [InlineData("bitcoin saw inflows of US$5m.", "Bitcoin")]
    [InlineData("BTC saw inflows of US$5m.", "Bitcoin")]
    [InlineData("Ethereum saw inflows of US$5m.", "Ethereum")]
    [InlineData("Ether saw inflows of US$5m.", "Ethereum")]
    [InlineData("ETH saw inflows of US$5m.", "Ethereum")]
    [InlineData("Solana saw inflows of US$5m.", "Solana")]
    [InlineData("SOL saw inflows of US$5m.", "Solana")]
    [InlineData("XRP saw inflows of US$5m.", "XRP")]
    [InlineData("Ripple saw inflows of US$5m.", "XRP")]
    [InlineData("Multi-asset products saw inflows of US$5m.", "Multi-asset")]
    [InlineData("Multi asset products saw inflows of US$5m.", "Multi-asset")]
    [InlineData("Multiasset products saw inflows of US$5m.", "Multi-asset")]
    [InlineData("Short-bitcoin products saw inflows of US$5m.", "Short-bitcoin")]
    [InlineData("Short bitcoin products saw inflows of US$5m.", "Short-bitcoin")]
    [InlineData("Short BTC products saw inflows of US$5m.", "Short-bitcoin")]
    [InlineData("Shortbitcoin products saw inflows of US$5m.", "Short-bitcoin")]
    public void Each_asset_is_known_by_its_names(string sentence, string key)
    {
        var f = ParseAfterLead(sentence);

        Assert.Equal(new Dictionary<string, long> { [key] = 5_000_000L }, f.Assets);
        Assert.Empty(f.Regions);
    }

    [Theory]
    [InlineData("Bitcoin Cash saw inflows of US$5m.")]
    [InlineData("Bitcoin-cash saw inflows of US$5m.")]
    [InlineData("Eth saw inflows of US$5m.")]
    [InlineData("Sol saw inflows of US$5m.")]
    [InlineData("Cardano saw inflows of US$5m.")]
    public void Other_coins_are_not_a_known_asset(string sentence)
    {
        Assert.Empty(ParseAfterLead(sentence).Assets);
    }

    [Theory]
    [InlineData("The US saw outflows of US$5m.", "United States")]
    [InlineData("The USA saw outflows of US$5m.", "United States")]
    [InlineData("The U.S.A. saw outflows of US$5m.", "United States")]
    [InlineData("The United States saw outflows of US$5m.", "United States")]
    [InlineData("Germany saw outflows of US$5m.", "Germany")]
    [InlineData("German products saw outflows of US$5m.", "Germany")]
    [InlineData("Switzerland saw outflows of US$5m.", "Switzerland")]
    [InlineData("Swiss products saw outflows of US$5m.", "Switzerland")]
    [InlineData("Canada saw outflows of US$5m.", "Canada")]
    [InlineData("Canadian products saw outflows of US$5m.", "Canada")]
    [InlineData("Sweden saw outflows of US$5m.", "Sweden")]
    [InlineData("Swedish products saw outflows of US$5m.", "Sweden")]
    [InlineData("Brazil saw outflows of US$5m.", "Brazil")]
    [InlineData("Brazilian products saw outflows of US$5m.", "Brazil")]
    [InlineData("Hong Kong saw outflows of US$5m.", "Hong Kong")]
    [InlineData("Australia saw outflows of US$5m.", "Australia")]
    [InlineData("Australian products saw outflows of US$5m.", "Australia")]
    [InlineData("The Netherlands saw outflows of US$5m.", "Netherlands")]
    [InlineData("Dutch products saw outflows of US$5m.", "Netherlands")]
    [InlineData("France saw outflows of US$5m.", "France")]
    [InlineData("French products saw outflows of US$5m.", "France")]
    public void Each_country_is_known_by_its_names(string sentence, string key)
    {
        var f = ParseAfterLead(sentence);

        Assert.Equal(new Dictionary<string, long> { [key] = -5_000_000L }, f.Regions);
        Assert.Empty(f.Assets);
    }

    [Theory]
    [InlineData("Digital asset investment products saw inflows of US$5m.")]
    [InlineData("Digital-asset funds saw inflows of US$5m.")]
    [InlineData("Crypto funds saw inflows of US$5m.")]
    [InlineData("Cryptocurrency ETPs saw inflows of US$5m.")]
    [InlineData("Crypto-asset exchange-traded products saw inflows of US$5m.")]
    [InlineData("Crypto asset investment funds saw inflows of US$5m.")]
    [InlineData("Digital asset exchange traded products saw inflows of US$5m.")]
    [InlineData("Digital\u00A0asset investment products saw inflows of US$5m.")]
    [InlineData("Digital\u202Fasset investment products saw inflows of US$5m.")]
    [InlineData("Digital\u2009asset investment products saw inflows of US$5m.")]
    [InlineData("Digital asset investment products saw inflows of US $5m.")]
    public void The_global_total_is_named_as_the_whole_market(string text)
    {
        var f = Parse(text);

        Assert.Equal(5_000_000L, f.TotalUsd);
        Assert.Empty(f.Assets);
        Assert.Empty(f.Regions);
    }

    [Theory]
    [InlineData("inflows", 1)]
    [InlineData("Inflows", 1)]
    [InlineData("INFLOWS", 1)]
    [InlineData("an inflow", 1)]
    [InlineData("in-flows", 1)]
    [InlineData("in flows", 1)]
    [InlineData("outflows", -1)]
    [InlineData("an outflow", -1)]
    [InlineData("out-flows", -1)]
    [InlineData("withdrawals", -1)]
    [InlineData("a withdrawal", -1)]
    [InlineData("redemptions", -1)]
    [InlineData("a redemption", -1)]
    public void The_sign_comes_from_the_flow_word(string word, int sign)
    {
        var f = ParseAfterLead($"Bitcoin saw {word} of US$5m.");

        Assert.Equal(sign * 5_000_000L, f.Assets["Bitcoin"]);
    }

    [Theory]
    [InlineData(" and ")]
    [InlineData(", ")]
    [InlineData(" & ")]
    [InlineData(", and ")]
    [InlineData(" as well as ")]
    [InlineData(", as well as ")]
    [InlineData(" and the ")]
    public void A_respectively_list_is_joined_by_commas_and_or_as_well_as(string separator)
    {
        var f = ParseAfterLead($"Germany{separator}Switzerland saw inflows of US$1m and US$2m respectively.");

        Assert.Equal(new Dictionary<string, long> { ["Germany"] = 1_000_000L, ["Switzerland"] = 2_000_000L }, f.Regions);
    }

    [Fact]
    public void A_three_name_list_pairs_each_figure_in_order_with_one_shared_sign()
    {
        var f = ParseAfterLead("Solana, XRP and Ethereum saw outflows of US$1m, US$2m and US$3m respectively.");

        Assert.Equal(new Dictionary<string, long> { ["Solana"] = -1_000_000L, ["XRP"] = -2_000_000L, ["Ethereum"] = -3_000_000L }, f.Assets);
    }

    [Fact]
    public void A_list_after_other_names_in_the_sentence_takes_its_own_figures()
    {
        var f = ParseAfterLead("Bitcoin saw outflows of US$9m, while Solana and XRP saw inflows of US$1m and US$2m respectively.");

        Assert.Equal(new Dictionary<string, long> { ["Bitcoin"] = -9_000_000L, ["Solana"] = 1_000_000L, ["XRP"] = 2_000_000L }, f.Assets);
    }

    [Theory]
    [InlineData("Germany but not Switzerland saw inflows of US$1m and US$2m respectively.")] // not a list
    [InlineData("Germany and Switzerland saw inflows of US$41m respectively.")] // fewer figures than names
    [InlineData("Germany and Switzerland saw inflows of US$1m, US$2m and US$3m respectively.")] // more figures than names
    [InlineData("Germany and Switzerland saw inflows of US$1m and outflows of US$2m respectively.")] // mixed words among the figures
    [InlineData("Germany and Switzerland saw inflows of US$1m and US$2m respectively this year.")] // cumulative
    [InlineData("Germany and Switzerland saw inflows year-to-date of US$1m and US$2m respectively.")] // cumulative
    [InlineData("Germany and Switzerland stood at US$1m and US$2m respectively.")] // no flow word
    [InlineData("Germany and the US saw inflows of US$5m and US$3m.")] // two figures, no "respectively"
    public void An_ambiguous_list_is_left_out(string sentence)
    {
        Assert.Empty(ParseAfterLead(sentence).Regions);
    }

    [Fact]
    public void A_list_without_a_flow_word_of_its_own_is_left_out_even_after_another_names_flow_word()
    {
        var f = ParseAfterLead("Bitcoin saw inflows of US$9m, while Germany and Switzerland stood at US$1m and US$2m respectively.");

        Assert.Equal(new Dictionary<string, long> { ["Bitcoin"] = 9_000_000L }, f.Assets);
        Assert.Empty(f.Regions);
    }

    [Fact]
    public void A_respectively_figure_after_names_of_different_kinds_is_left_out()
    {
        var f = ParseAfterLead("Bitcoin and the US saw inflows of US$5m and US$3m respectively.");

        Assert.Empty(f.Assets);
        Assert.Empty(f.Regions);
    }

    [Fact]
    public void A_list_figure_may_start_140_characters_after_the_last_name_but_not_141()
    {
        static string Sentence(int filler) => $"Germany and Switzerland saw inflows {new string('z', filler)} US$1m and US$2m respectively.";
        Assert.Equal(140, Distance(Sentence(126), "Switzerland", "US$1m"));

        Assert.Equal(2, ParseAfterLead(Sentence(126)).Regions.Count);
        Assert.Empty(ParseAfterLead(Sentence(127)).Regions);
    }

    [Fact]
    public void A_figure_may_start_140_characters_after_its_name_but_not_141()
    {
        static string Sentence(int filler) => $"Bitcoin saw inflows {new string('z', filler)} US$5m.";
        Assert.Equal(140, Distance(Sentence(126), "Bitcoin", "US$5m"));

        Assert.Equal(5_000_000L, ParseAfterLead(Sentence(126)).Assets["Bitcoin"]);
        Assert.Empty(ParseAfterLead(Sentence(127)).Assets);
    }

    [Fact]
    public void The_first_figure_after_a_name_is_its_figure()
    {
        var f = ParseAfterLead("Bitcoin saw inflows of US$5m, up from US$3m the week before.");

        Assert.Equal(5_000_000L, f.Assets["Bitcoin"]);
    }

    [Theory]
    [InlineData("Bitcoin saw inflows of US$5m; Ethereum saw outflows of US$2m.", 5_000_000L)]
    [InlineData("Bitcoin saw inflows of US$5m", 5_000_000L)] // the figure ends the text
    [InlineData("Bitcoin saw inflows; flows elsewhere were US$50m.", null)] // the semicolon ends Bitcoin's part
    public void A_semicolon_ends_the_window_of_a_name(string sentence, long? bitcoin)
    {
        var f = ParseAfterLead(sentence);

        Assert.Equal(bitcoin, f.Assets.TryGetValue("Bitcoin", out var v) ? (long?)v : null);
    }

    [Fact]
    public void The_last_flow_word_before_the_figure_gives_its_sign()
    {
        var f = ParseAfterLead("Bitcoin, after early inflows, saw outflows of US$5m.");

        Assert.Equal(-5_000_000L, f.Assets["Bitcoin"]);
    }

    [Fact]
    public void A_flow_word_of_an_earlier_name_does_not_sign_a_later_figure()
    {
        var f = ParseAfterLead("Ethereum saw inflows of US$3m while Bitcoin recorded US$5m.");

        Assert.Equal(new Dictionary<string, long> { ["Ethereum"] = 3_000_000L }, f.Assets);
    }

    [Fact]
    public void Without_a_word_before_it_the_first_flow_word_right_after_the_figure_gives_its_sign()
    {
        var f = ParseAfterLead("Bitcoin saw US$5m of outflows after prior inflows.");

        Assert.Equal(-5_000_000L, f.Assets["Bitcoin"]);
    }

    [Fact]
    public void A_flow_word_after_the_figure_counts_within_30_characters_but_not_31()
    {
        static string Sentence(int filler) => $"Bitcoin saw US$5m {new string('z', filler)} outflows.";
        Assert.Equal(30, Distance(Sentence(28), "US$5m", "outflows"));

        Assert.Equal(-5_000_000L, ParseAfterLead(Sentence(28)).Assets["Bitcoin"]);
        Assert.Empty(ParseAfterLead(Sentence(29)).Assets);
    }

    [Fact]
    public void A_flow_word_after_the_next_name_belongs_to_that_name()
    {
        var f = ParseAfterLead("Bitcoin saw US$5m, Ethereum saw outflows of US$2m.");

        Assert.Equal(new Dictionary<string, long> { ["Ethereum"] = -2_000_000L }, f.Assets);
    }

    [Fact]
    public void Followed_by_takes_the_direction_of_the_last_flow_word_before_it()
    {
        var f = ParseAfterLead("Bitcoin saw outflows of US$5m while Solana saw inflows of US$3m, followed by XRP at US$1m.");

        Assert.Equal(new Dictionary<string, long> { ["Bitcoin"] = -5_000_000L, ["Solana"] = 3_000_000L, ["XRP"] = 1_000_000L }, f.Assets);
    }

    [Fact]
    public void Followed_by_the_country_takes_the_direction_too()
    {
        var f = ParseAfterLead("Germany saw outflows of US$5m, followed by the Netherlands at US$1m.");

        Assert.Equal(new Dictionary<string, long> { ["Germany"] = -5_000_000L, ["Netherlands"] = -1_000_000L }, f.Regions);
    }

    [Fact]
    public void Followed_by_gives_way_to_a_flow_word_of_its_own()
    {
        var f = ParseAfterLead("Bitcoin saw inflows of US$5m, followed by Ethereum with outflows of US$2m.");

        Assert.Equal(-2_000_000L, f.Assets["Ethereum"]);
    }

    [Fact]
    public void Without_followed_by_a_figure_with_no_flow_word_is_left_out()
    {
        var f = ParseAfterLead("Bitcoin saw inflows of US$5m, while Ethereum was at US$2m.");

        Assert.Equal(new Dictionary<string, long> { ["Bitcoin"] = 5_000_000L }, f.Assets);
    }

    [Fact]
    public void A_list_after_followed_by_inherits_the_direction()
    {
        var f = Parse("Digital asset investment products saw inflows of US$6bn. Bitcoin saw the largest inflows at US$5bn, followed by Germany and Switzerland at US$1m and US$2m respectively.");

        Assert.Equal(5_000_000_000L, f.Assets["Bitcoin"]);
        Assert.Equal(new Dictionary<string, long> { ["Germany"] = 1_000_000L, ["Switzerland"] = 2_000_000L }, f.Regions);
    }

    [Fact]
    public void A_list_after_followed_by_keeps_a_flow_word_of_its_own()
    {
        var f = ParseAfterLead("Bitcoin saw inflows of US$5bn, followed by Germany and Switzerland with outflows of US$1m and US$2m respectively.");

        Assert.Equal(new Dictionary<string, long> { ["Germany"] = -1_000_000L, ["Switzerland"] = -2_000_000L }, f.Regions);
    }

    [Fact]
    public void A_list_after_followed_by_with_no_flow_word_anywhere_is_left_out()
    {
        var f = ParseAfterLead("Bitcoin led at US$5bn, followed by Germany and Switzerland at US$1m and US$2m respectively.");

        Assert.Empty(f.Assets);
        Assert.Empty(f.Regions);
    }

    [Theory]
    [InlineData("Bitcoin saw inflows to date of US$5m.")]
    [InlineData("Bitcoin saw inflows year to date of US$5m.")]
    [InlineData("Bitcoin saw YTD inflows of US$5m.")]
    [InlineData("Bitcoin saw MTD inflows of US$5m.")]
    [InlineData("Bitcoin has seen inflows so far of US$5m.")]
    [InlineData("Bitcoin saw inflows over the past two weeks of US$5m.")]
    [InlineData("Bitcoin saw inflows over the last 3 months of US$5m.")]
    [InlineData("Bitcoin saw inflows in the previous several weeks of US$5m.")]
    [InlineData("Bitcoin saw inflows over the past month of US$5m.")]
    [InlineData("Bitcoin saw inflows in the last year of US$5m.")]
    [InlineData("Bitcoin saw inflows during the past quarter of US$5m.")]
    [InlineData("Bitcoin saw inflows since the start of the year of US$5m.")]
    [InlineData("Bitcoin saw inflows since launch of US$5m.")]
    [InlineData("Bitcoin saw inflows since inception of US$5m.")]
    [InlineData("Bitcoin saw inflows since the beginning of US$5m.")]
    [InlineData("Bitcoin saw cumulative inflows of US$5m.")]
    [InlineData("Bitcoin saw inflows, bringing the total to US$5m.")]
    [InlineData("Bitcoin saw inflows, taking the total to US$5m.")]
    [InlineData("Bitcoin saw inflows of US$5m to date.")]
    [InlineData("Bitcoin saw inflows of US$5m year-to-date.")]
    [InlineData("Bitcoin saw inflows of US$5m YTD.")]
    [InlineData("Bitcoin saw inflows of US$5m MTD.")]
    [InlineData("Bitcoin saw inflows of US$5m so far.")]
    [InlineData("Bitcoin saw inflows of US$5m over the past 4 weeks.")]
    [InlineData("Bitcoin saw inflows of US$5m in the last ten months.")]
    [InlineData("Bitcoin saw inflows of US$5m since inception.")]
    [InlineData("Bitcoin saw inflows of US$5m this year.")]
    [InlineData("Bitcoin saw inflows of US$5m this month.")]
    [InlineData("Bitcoin saw inflows of US$5m cumulatively.")]
    [InlineData("Bitcoin saw inflows of US$5m this year")]
    public void Cumulative_figures_are_left_out(string sentence)
    {
        Assert.Empty(ParseAfterLead(sentence).Assets);
    }

    [Theory]
    [InlineData("Bitcoin saw inflows last week of US$5m.")]
    [InlineData("Bitcoin saw inflows of US$5m, the most this year.")]
    [InlineData("Bitcoin saw inflows of US$5m; the most this year.")]
    [InlineData("Bitcoin saw inflows of US$5m (the most this year).")]
    [InlineData("Bitcoin saw inflows of US$5m. the most this year.")]
    public void A_cumulative_word_after_the_figure_counts_only_up_to_the_next_punctuation(string sentence)
    {
        Assert.Equal(5_000_000L, ParseAfterLead(sentence).Assets["Bitcoin"]);
    }

    [Theory]
    [InlineData("Europe and Canada saw inflows of US$5m.")]
    [InlineData("Europe & Canada saw inflows of US$5m.")]
    [InlineData("Europe and the Netherlands saw inflows of US$5m.")]
    [InlineData("Canada and Europe saw inflows of US$5m.")]
    [InlineData("Canada, Europe saw inflows of US$5m.")]
    [InlineData("Canada & Europe saw inflows of US$5m.")]
    [InlineData("Canada and the Cayman Islands saw inflows of US$5m.")]
    public void A_figure_shared_with_an_unknown_name_is_left_out(string sentence)
    {
        Assert.Empty(ParseAfterLead(sentence).Regions);
    }

    [Fact]
    public void A_lower_case_word_after_a_name_is_not_an_unknown_name()
    {
        var f = ParseAfterLead("Canada, and to a lesser extent others, saw inflows of US$5m.");

        Assert.Equal(5_000_000L, f.Regions["Canada"]);
    }

    [Theory]
    [InlineData("US-listed crypto ETPs saw outflows of US$5m.", "United States")]
    [InlineData("US-based digital asset funds saw outflows of US$5m.", "United States")]
    [InlineData("Swiss-domiciled crypto funds saw outflows of US$5m.", "Switzerland")]
    [InlineData("German digital asset investment products saw outflows of US$5m.", "Germany")]
    public void A_country_qualifying_the_market_is_that_countrys_figure(string sentence, string key)
    {
        var f = ParseAfterLead(sentence);

        Assert.Equal(-1_000_000_000L, f.TotalUsd);
        Assert.Equal(new Dictionary<string, long> { [key] = -5_000_000L }, f.Regions);
    }

    [Fact]
    public void A_country_apart_from_the_market_name_does_not_qualify_it()
    {
        var f = Parse("In the US, digital asset funds saw outflows of US$5m.");

        Assert.Equal(-5_000_000L, f.TotalUsd);
        Assert.Empty(f.Regions);
    }

    [Fact]
    public void The_first_statement_of_a_country_wins()
    {
        var f = ParseAfterLead("Regionally, the US saw outflows of US$5m. The US saw inflows of US$9m on Friday alone.");

        Assert.Equal(-5_000_000L, f.Regions["United States"]);
    }

    [Fact]
    public void Assets_and_countries_of_one_report_are_kept_apart()
    {
        var f = Parse("""
            Digital asset investment products saw outflows totalling US$1.17bn.
            Regionally, the US saw outflows of US$1.22bn, while Germany and Switzerland saw inflows of US$41.4m and US$49.7m respectively.
            Bitcoin saw outflows of US$932m. Short-bitcoin products saw inflows of US$11.8m.
            """);

        Assert.Equal(-1_170_000_000L, f.TotalUsd);
        Assert.Equal(new Dictionary<string, long> { ["Bitcoin"] = -932_000_000L, ["Short-bitcoin"] = 11_800_000L }, f.Assets);
        Assert.Equal(new Dictionary<string, long> { ["United States"] = -1_220_000_000L, ["Germany"] = 41_400_000L, ["Switzerland"] = 49_700_000L }, f.Regions);
    }

    [Fact]
    public void A_short_bitcoin_product_with_a_non_breaking_hyphen_is_short_bitcoin()
    {
        var f = ParseAfterLead("Short\u2011bitcoin products saw inflows of US$5m.");

        Assert.Equal(new Dictionary<string, long> { ["Short-bitcoin"] = 5_000_000L }, f.Assets);
    }

    [Fact]
    public void A_year_to_date_figure_spelt_with_en_dashes_is_cumulative()
    {
        Assert.Empty(ParseAfterLead("Bitcoin saw inflows of US$5m year\u2013to\u2013date.").Assets);
    }

    private static int Distance(string sentence, string from, string to)
    {
        var end = sentence.IndexOf(from, StringComparison.Ordinal) + from.Length;
        return sentence.IndexOf(to, end, StringComparison.Ordinal) - end;
    }
}
