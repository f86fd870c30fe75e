using System.Globalization;
using System.Text;
using Tapewatch.Core.Weekly;

namespace Tapewatch.Tests.Weekly;

/// <summary>
/// <see cref="WeeklyReport"/>: a feed item or a saved page turned into a week (which item, which date, which title,
/// the week ending), and each refusal with its reason.
/// </summary>
public sealed class WeeklyReportReadingTests
{
    private const string NoTotal =
        "the report prose states no global total (expected e.g. \"Digital asset investment products saw outflows totalling US$1.17bn\")";

    private const string Prose = "<p>Digital asset investment products saw inflows of US$2.2bn last week.</p>";

    private static string Item(string title, string? pubDate, string html, string? link = null) =>
        "<item><title>" + title + "</title>"
        + (link is null ? "" : "<link>" + link + "</link>")
        + (pubDate is null ? "" : "<pubDate>" + pubDate + "</pubDate>")
        + "<content:encoded><![CDATA[" + html + "]]></content:encoded></item>";

    private static byte[] Rss(params string[] items) => Encoding.UTF8.GetBytes(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><title>CoinShares</title>"
        + string.Concat(items) + "</channel></rss>");

    private static WeeklyReadResult ReadFeed(byte[] feed, string reportTitle = WeeklyReport.DefaultTitle)
    {
        using var stream = new MemoryStream(feed);
        return WeeklyReport.ReadFeed(stream, "test-source", reportTitle);
    }

    private static DateOnly Date(string text) => DateOnly.Parse(text, CultureInfo.InvariantCulture);

    [Fact]
    public void A_feed_report_item_becomes_a_week_with_every_field()
    {
        var feed = Rss(
            Item("Bitcoin Mining Report", "Mon, 10 Nov 2025 15:00:00 +0000", "<p>Miners saw inflows of US$2.1bn in total.</p>", "https://example.test/mining"),
            Item(
                "Digital Asset Fund Flows Weekly Report",
                "Mon, 10 Nov 2025 09:45:12 +0000",
                "<p>Digital asset investment products saw outflows totalling US$1.17bn. Total AuM fell to US$240bn.</p><p>Bitcoin saw outflows of US$932m.</p><p>Regionally, the US saw outflows of US$1.22bn.</p>",
                "https://example.test/weekly-10-november"));

        var result = ReadFeed(feed);

        Assert.Null(result.Error);
        Assert.Equal("Digital Asset Fund Flows Weekly Report", result.Title);
        Assert.Equal("https://example.test/weekly-10-november", result.Link);
        Assert.Equal(2, result.FeedItems);
        var week = result.Week;
        Assert.NotNull(week);
        Assert.Equal(new DateOnly(2025, 11, 7), week.WeekEnding);
        Assert.Equal(new DateOnly(2025, 11, 10), week.PublishedOn);
        Assert.Equal(-1_170_000_000L, week.TotalUsd);
        Assert.Equal(new Dictionary<string, long> { ["Bitcoin"] = -932_000_000L }, week.Assets);
        Assert.Equal(new Dictionary<string, long> { ["United States"] = -1_220_000_000L }, week.Regions);
        Assert.Equal(240_000_000_000L, week.AumUsd);
        Assert.Equal("test-source", week.Source);
    }

    [Fact]
    public void The_publication_date_is_the_utc_date()
    {
        var result = ReadFeed(Rss(Item(WeeklyReport.DefaultTitle, "Sun, 09 Nov 2025 22:30:00 -0500", Prose)));

        Assert.Equal(new DateOnly(2025, 11, 10), result.Week?.PublishedOn);
        Assert.Equal(new DateOnly(2025, 11, 7), result.Week?.WeekEnding);
    }

    [Fact]
    public void Another_report_title_picks_that_item()
    {
        var feed = Rss(
            Item(WeeklyReport.DefaultTitle, "Mon, 10 Nov 2025 09:00:00 +0000", Prose),
            Item("Weekly Fund Flows (Europe)", "Mon, 03 Nov 2025 09:00:00 +0000", "<p>Digital asset investment products saw outflows of US$7m.</p>"));

        var result = ReadFeed(feed, "Weekly Fund Flows");

        Assert.Equal("Weekly Fund Flows (Europe)", result.Title);
        Assert.Equal(-7_000_000L, result.Week?.TotalUsd);
        Assert.Equal(new DateOnly(2025, 10, 31), result.Week?.WeekEnding);
    }

    [Fact]
    public void A_feed_without_the_report_names_the_title_and_counts_the_items()
    {
        var result = ReadFeed(Rss(
            Item("Bitcoin Mining Report", "Mon, 10 Nov 2025 15:00:00 +0000", Prose),
            Item("The Week in Digital Assets", "Fri, 07 Nov 2025 15:00:00 +0000", Prose)));

        Assert.Null(result.Week);
        Assert.Equal("no item titled \"Digital Asset Fund Flows Weekly Report\" among the feed's 2 item(s)", result.Error);
        Assert.Equal(2, result.FeedItems);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sometime last week")]
    public void A_report_item_without_a_readable_date_is_refused(string? pubDate)
    {
        var result = ReadFeed(Rss(Item(WeeklyReport.DefaultTitle, pubDate, Prose), Item("Other", "Mon, 10 Nov 2025 15:00:00 +0000", Prose)));

        Assert.Null(result.Week);
        Assert.Equal("the report item \"Digital Asset Fund Flows Weekly Report\" has no readable publication date", result.Error);
        Assert.Equal(2, result.FeedItems);
    }

    [Fact]
    public void A_report_item_without_a_total_is_refused_naming_the_item_and_keeping_its_link()
    {
        var result = ReadFeed(Rss(Item(WeeklyReport.DefaultTitle, "Mon, 10 Nov 2025 09:00:00 +0000", "<p>Bitcoin saw outflows of US$932m.</p>", "https://example.test/r")));

        Assert.Null(result.Week);
        Assert.Equal(NoTotal + " in \"Digital Asset Fund Flows Weekly Report\"", result.Error);
        Assert.Equal("https://example.test/r", result.Link);
        Assert.Equal(1, result.FeedItems);
    }

    [Fact]
    public void A_corrupted_amount_in_a_feed_item_is_refused_naming_the_item()
    {
        var result = ReadFeed(Rss(Item(WeeklyReport.DefaultTitle, "Mon, 10 Nov 2025 09:00:00 +0000", "<p>Digital asset investment products saw inflows of US$10,000,000tn.</p>")));

        Assert.Equal(
            "an amount in the report is out of range (more than 9.2 quintillion USD); the report looks corrupted in \"Digital Asset Fund Flows Weekly Report\"",
            result.Error);
    }

    [Theory]
    [InlineData("2025-11-07", "2025-10-31")] // Friday
    [InlineData("2025-11-08", "2025-11-07")] // Saturday
    [InlineData("2025-11-09", "2025-11-07")] // Sunday
    [InlineData("2025-11-10", "2025-11-07")] // Monday
    [InlineData("2025-11-11", "2025-11-07")] // Tuesday
    [InlineData("2025-11-12", "2025-11-07")] // Wednesday
    [InlineData("2025-11-13", "2025-11-07")] // Thursday
    public void Every_weekday_maps_to_the_last_friday_strictly_before_it(string published, string weekEnding)
    {
        Assert.Equal(Date(weekEnding), WeeklyReport.WeekEndingFor(Date(published)));
        Assert.Equal(Date(weekEnding), WeeklyReport.ExpectedWeekEnding(Date(published)));
    }

    [Theory]
    [InlineData("<meta property=\"og:title\" content=\"  From og  \"><title>From title</title>", "<h1>From h1</h1>", "From og")]
    [InlineData("<title>From title</title>", "<h1>\n  From h1  \n</h1>", "From h1")]
    [InlineData("<title>From title</title>", "", "From title")]
    public void A_page_title_comes_from_og_title_else_h1_else_title(string head, string articleStart, string expected)
    {
        var html = $"<html><head>{head}</head><body><article>{articleStart}{Prose}</article></body></html>";

        var result = WeeklyReport.ReadHtml(html, "manual-file", new DateOnly(2025, 11, 10));

        Assert.Equal(expected, result.Title);
        Assert.Equal(2_200_000_000L, result.Week?.TotalUsd);
        Assert.Equal("manual-file", result.Week?.Source);
    }

    [Fact]
    public void A_page_without_a_total_is_refused_naming_its_title()
    {
        var result = WeeklyReport.ReadHtml("<html><head><title>My Report</title></head><body><p>Prices fell.</p></body></html>", "manual-file", new DateOnly(2025, 11, 10));

        Assert.Null(result.Week);
        Assert.Equal(NoTotal + " in \"My Report\"", result.Error);
    }

    [Fact]
    public void A_page_without_any_title_is_untitled_and_its_refusal_names_none()
    {
        // Regression: an untitled page was titled "" and its refusal ended with 'in ""'.
        var result = WeeklyReport.ReadHtml("<html><body><p>Prices fell.</p></body></html>", "manual-file", new DateOnly(2025, 11, 10));

        Assert.Null(result.Week);
        Assert.Null(result.Title);
        Assert.Equal(NoTotal, result.Error);
    }

    /// <summary>Six places a page states its date, in order of trust: the first one present wins.</summary>
    [Theory]
    [InlineData(1, "2025-11-10")]
    [InlineData(2, "2025-11-17")]
    [InlineData(3, "2025-11-24")]
    [InlineData(4, "2025-12-01")]
    [InlineData(5, "2025-12-08")]
    [InlineData(6, "2025-12-15")]
    public void A_page_date_comes_from_the_first_source_it_states(int first, string expected)
    {
        var metas = new StringBuilder();
        if (first <= 1) metas.Append("<meta property=\"article:published_time\" content=\"2025-11-10T09:45:12+00:00\">");
        if (first <= 2) metas.Append("<meta itemprop=\"datePublished\" content=\"2025-11-17\">");
        if (first <= 3) metas.Append("<meta name=\"date\" content=\"2025-11-24\">");
        var articleTime = first <= 4 ? "<time datetime=\"2025-12-01T09:00:00Z\"></time>" : "";
        var otherTime = first <= 5 ? "<div><time datetime=\"2025-12-08T09:00:00Z\"></time></div>" : "";
        const string jsonLd = "<script type=\"application/ld+json\">{\"@type\":\"Article\",\"datePublished\" : \"2025-12-15T09:00:00Z\"}</script>";
        var html = $"<html><head>{metas}</head><body>{otherTime}<article>{articleTime}{Prose}</article>{jsonLd}</body></html>";

        var result = WeeklyReport.ReadHtml(html, "manual-file");

        Assert.True(result.Week is not null, result.Error);
        Assert.Equal(Date(expected), result.Week.PublishedOn);
        Assert.Equal(WeeklyReport.WeekEndingFor(Date(expected)), result.Week.WeekEnding);
    }

    [Fact]
    public void An_unreadable_page_date_gives_way_to_the_next_source()
    {
        const string html = "<html><head><meta property=\"article:published_time\" content=\"not a date\"><meta name=\"date\" content=\"2025-11-24\"></head><body><article>" + Prose + "</article></body></html>";

        Assert.Equal(new DateOnly(2025, 11, 24), WeeklyReport.ReadHtml(html, "manual-file").Week?.PublishedOn);
    }

    [Fact]
    public void A_page_date_with_an_offset_is_taken_as_its_utc_date()
    {
        const string html = "<html><head><meta property=\"article:published_time\" content=\"2025-11-09T22:30:00-05:00\"></head><body><article>" + Prose + "</article></body></html>";

        Assert.Equal(new DateOnly(2025, 11, 10), WeeklyReport.ReadHtml(html, "manual-file").Week?.PublishedOn);
    }

    [Fact]
    public void A_given_date_beats_the_page_date()
    {
        const string html = "<html><head><meta property=\"article:published_time\" content=\"2025-11-10T09:45:12+00:00\"></head><body><article>" + Prose + "</article></body></html>";

        var week = WeeklyReport.ReadHtml(html, "manual-file", new DateOnly(2025, 11, 18)).Week;

        Assert.Equal(new DateOnly(2025, 11, 18), week?.PublishedOn);
        Assert.Equal(new DateOnly(2025, 11, 14), week?.WeekEnding);
    }

    [Fact]
    public void A_page_with_no_date_asks_for_one()
    {
        var result = WeeklyReport.ReadHtml("<html><body><article>" + Prose + "</article></body></html>", "manual-file");

        Assert.Null(result.Week);
        Assert.Equal("the page states no publication date (article:published_time, <time datetime> or datePublished); give it with --published", result.Error);
    }

    [Fact]
    public void The_last_day_of_the_calendars_first_week_is_out_of_range()
    {
        var result = WeeklyReport.ReadHtml("<html><body><article>" + Prose + "</article></body></html>", "manual-file", new DateOnly(1, 1, 7));

        Assert.Null(result.Week);
        Assert.Equal("the publication date 0001-01-07 is out of range", result.Error);
    }

    [Fact]
    public void Null_content_is_an_argument_error()
    {
        Assert.Throws<ArgumentNullException>(() => WeeklyReport.Read(null!, "manual-file"));
    }

    [Theory]
    [InlineData("   \n\t  ")]
    [InlineData("\uFEFF")]
    [InlineData("\uFEFF  \n")]
    public void Blank_content_is_empty(string text)
    {
        var result = WeeklyReport.Read(Encoding.UTF8.GetBytes(text), "manual-file");

        Assert.Null(result.Week);
        Assert.Equal("the input is empty", result.Error);
        Assert.Equal(0, result.FeedItems);
    }

    [Theory]
    [InlineData("<!DOCTYPE html><html><body>{0}</body></html>")]
    [InlineData("<html><body>{0}</body></html>")]
    [InlineData("<head><title>x</title></head><body>{0}</body>")]
    [InlineData("<body>{0}</body>")]
    [InlineData("<article>{0}</article>")]
    [InlineData("<div>{0}</div>")]
    [InlineData("{0}")]
    [InlineData("<p class=\"lead\">Digital asset investment products saw inflows of US$2.2bn last week.</p>")]
    [InlineData("<!-- saved from the web -->\n<!-- twice -->\n<html><body>{0}</body></html>")]
    [InlineData("\uFEFF<html><body>{0}</body></html>")]
    [InlineData("  \n<HTML><BODY>{0}</BODY></HTML>")]
    public void A_page_is_told_from_a_feed_by_its_first_markup(string template)
    {
        var html = string.Format(CultureInfo.InvariantCulture, template, Prose);

        var result = WeeklyReport.Read(Encoding.UTF8.GetBytes(html), "manual-file", publishedOn: new DateOnly(2025, 11, 10));

        Assert.True(result.Week is not null, result.Error);
        Assert.Equal(2_200_000_000L, result.Week.TotalUsd);
        Assert.Equal(new DateOnly(2025, 11, 7), result.Week.WeekEnding);
    }

    [Theory]
    [InlineData("<pre>Digital asset investment products saw inflows of US$2.2bn last week.</pre>", "pre")]
    [InlineData("<para>Digital asset investment products saw inflows of US$2.2bn last week.</para>", "para")]
    public void Other_markup_is_read_as_a_feed(string content, string root)
    {
        var result = WeeklyReport.Read(Encoding.UTF8.GetBytes(content), "manual-file", publishedOn: new DateOnly(2025, 11, 10));

        Assert.Null(result.Week);
        Assert.Equal($"not an RSS or Atom feed (root element <{root}>)", result.Error);
    }

    [Fact]
    public void A_given_date_that_matches_the_feed_is_accepted()
    {
        var result = WeeklyReport.Read(Rss(Item(WeeklyReport.DefaultTitle, "Mon, 10 Nov 2025 09:00:00 +0000", Prose)), "test-source", publishedOn: new DateOnly(2025, 11, 10));

        Assert.Null(result.Error);
        Assert.Equal(2_200_000_000L, result.Week?.TotalUsd);
        Assert.Equal(1, result.FeedItems);
    }

    [Fact]
    public void A_given_date_that_contradicts_the_feed_is_refused()
    {
        var result = WeeklyReport.Read(Rss(Item(WeeklyReport.DefaultTitle, "Mon, 10 Nov 2025 09:00:00 +0000", Prose)), "test-source", publishedOn: new DateOnly(2025, 11, 11));

        Assert.Null(result.Week);
        Assert.Equal("--published 2025-11-11 contradicts the feed's publication date 2025-11-10", result.Error);
    }

    [Fact]
    public void A_given_date_does_not_hide_why_a_feed_failed()
    {
        var result = WeeklyReport.Read(Rss(Item("Other", "Mon, 10 Nov 2025 09:00:00 +0000", Prose)), "test-source", publishedOn: new DateOnly(2025, 11, 11));

        Assert.Null(result.Week);
        Assert.Equal("no item titled \"Digital Asset Fund Flows Weekly Report\" among the feed's 1 item(s)", result.Error);
        Assert.Equal(1, result.FeedItems);
    }

    [Fact]
    public void Read_passes_the_report_title_to_the_feed()
    {
        var feed = Rss(
            Item(WeeklyReport.DefaultTitle, "Mon, 10 Nov 2025 09:00:00 +0000", Prose),
            Item("Weekly Fund Flows (Europe)", "Mon, 03 Nov 2025 09:00:00 +0000", "<p>Digital asset investment products saw outflows of US$7m.</p>"));

        var result = WeeklyReport.Read(feed, "test-source", "Weekly Fund Flows");

        Assert.Equal(-7_000_000L, result.Week?.TotalUsd);
        Assert.Equal("test-source", result.Week?.Source);
    }
}
