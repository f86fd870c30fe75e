using System.Text;
using Tapewatch.Core.Weekly;

namespace Tapewatch.Tests.Weekly;

/// <summary>A bug the parser fuzzer found (input in Fuzz/Corpus/coinshares-feed): a report "published" in the calendar's first week.</summary>
public sealed class WeeklyDateRangeTests
{
    [Fact]
    public void Report_published_on_01_jan_0001_is_an_error_instead_of_an_ArgumentOutOfRangeException()
    {
        var feed = File.ReadAllText(WeeklyFixtures.Path("feed-2025-09-08-minor.xml"));
        var first = feed.IndexOf("<pubDate>", StringComparison.Ordinal);
        var end = feed.IndexOf("</pubDate>", first, StringComparison.Ordinal);
        var edited = feed[..first] + "<pubDate>Mon, 01 Jan 0001 10:15:00 GMT" + feed[end..];

        var result = WeeklyReport.Read(Encoding.UTF8.GetBytes(edited), WeeklyReport.FeedSource);

        Assert.Null(result.Week);
        Assert.Equal("the publication date 0001-01-01 is out of range", result.Error);
    }

    [Fact]
    public void A_page_given_a_publication_date_in_the_first_week_is_an_error()
    {
        const string html = "<html><body><article><p>Digital asset investment products saw inflows of US$2.2bn last week.</p></article></body></html>";
        Assert.Equal("the publication date 0001-01-03 is out of range", WeeklyReport.ReadHtml(html, "manual-file", new DateOnly(1, 1, 3)).Error);
        Assert.NotNull(WeeklyReport.ReadHtml(html, "manual-file", new DateOnly(1, 1, 8)).Week);
    }
}
