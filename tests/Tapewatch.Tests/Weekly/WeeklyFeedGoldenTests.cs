using System.Text.Json;
using System.Text.Json.Nodes;
using Tapewatch.Infrastructure.Api;
using Tapewatch.Core.Weekly;
using Tapewatch.Infrastructure.Weekly;
using Tapewatch.Tests.Fuzz;

namespace Tapewatch.Tests.Weekly;

/// <summary>Golden files: each fixture feed/page against its expected week (Fixtures/Weekly/*.expected.json).</summary>
public sealed class WeeklyFeedGoldenTests
{
    [Theory]
    [InlineData("feed-2025-11-10.xml")]
    [InlineData("feed-2025-10-06-atom.xml")]
    [InlineData("feed-2025-09-08-minor.xml")]
    [InlineData("feed-2025-11-24-amount-first.xml")]
    public void Feed_reads_to_the_expected_week(string fixture)
    {
        using var feed = WeeklyFixtures.Open(fixture);
        var result = WeeklyReport.ReadFeed(feed, WeeklyReport.FeedSource);

        Assert.True(result.Week is not null, result.Error);
        AssertGolden(Path.ChangeExtension(fixture, null).Replace(".xml", "", StringComparison.Ordinal) + ".expected.json", WeeklyFlowJson.From(result.Week));
    }

    /// <summary>
    /// The goldens themselves, figure by figure against the prose: each expected figure is stated after its subject's
    /// name in one sentence, with its size and unit, and a flow word of its sign (ProseOracle, independent of the parser).
    /// </summary>
    [Theory]
    [InlineData("feed-2025-11-10.xml", 12)]
    [InlineData("feed-2025-10-06-atom.xml", 10)]
    [InlineData("feed-2025-09-08-minor.xml", 9)]
    [InlineData("feed-2025-11-24-amount-first.xml", 8)]
    [InlineData("report-2025-11-10.html", 12)]
    public void Each_golden_figure_is_stated_for_its_subject_in_the_prose(string fixture, int figures)
    {
        var expected = JsonNode.Parse(File.ReadAllText(WeeklyFixtures.Path(Path.GetFileNameWithoutExtension(fixture) + ".expected.json")))!;
        List<ProseClaim> claims =
        [
            new("Total", (long)expected["totalUsd"]!),
            .. expected["assets"]!.AsObject().Select(a => new ProseClaim(a.Key, (long)a.Value!)),
            .. expected["regions"]!.AsObject().Select(r => new ProseClaim(r.Key, (long)r.Value!)),
            .. expected["aumUsd"] is { } aum ? [new ProseClaim("AuM", (long)aum)] : Array.Empty<ProseClaim>(),
        ];

        var verdict = ProseOracle.Check(File.ReadAllText(WeeklyFixtures.Path(fixture)), claims);

        Assert.True(verdict.Violations.Count == 0, string.Join("\n", verdict.Violations));
        Assert.Equal(figures, verdict.CheckedValues);
    }

    [Fact]
    public void Report_page_reads_to_the_expected_week_from_its_article_only()
    {
        var result = WeeklyReport.Read(WeeklyFixtures.Bytes("report-2025-11-10.html"), "manual-file");

        Assert.True(result.Week is not null, result.Error);
        Assert.Equal("Digital Asset Fund Flows Weekly Report", result.Title);
        AssertGolden("report-2025-11-10.expected.json", WeeklyFlowJson.From(result.Week));
    }

    /// <summary>The example: the report of Mon 10 Nov 2025 → week Fri 7 Nov, total −1,170,000,000.</summary>
    [Fact]
    public void Report_of_10_November_2025_is_the_week_to_7_November_with_outflows_of_1_17bn()
    {
        using var feed = WeeklyFixtures.Open("feed-2025-11-10.xml");
        var result = WeeklyReport.ReadFeed(feed, WeeklyReport.FeedSource);

        Assert.NotNull(result.Week);
        Assert.Equal(new DateOnly(2025, 11, 7), result.Week.WeekEnding);
        Assert.Equal(new DateOnly(2025, 11, 10), result.Week.PublishedOn);
        Assert.Equal(-1_170_000_000L, result.Week.TotalUsd);
        Assert.Equal("https://researchblog.coinshares.com/digital-asset-fund-flows-weekly-report-10-november-2025/", result.Link);
        Assert.Equal(4, result.FeedItems);
    }

    [Fact]
    public void Newest_report_item_wins_whatever_the_order_in_the_feed()
    {
        var xml = File.ReadAllText(WeeklyFixtures.Path("feed-2025-11-10.xml"));

        // Move the older report (3 Nov) before the newer one: the publication date decides, not the position.
        var older = xml[xml.LastIndexOf("<item>", StringComparison.Ordinal)..(xml.LastIndexOf("</item>", StringComparison.Ordinal) + "</item>".Length)];
        var reordered = xml.Replace(older, "", StringComparison.Ordinal).Replace("<item>", older + "\n<item>", StringComparison.Ordinal);
        var firstItemOnly = reordered.IndexOf(older, StringComparison.Ordinal);
        Assert.True(firstItemOnly < reordered.IndexOf("10-november-2025", StringComparison.Ordinal));

        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(reordered));
        var result = WeeklyReport.ReadFeed(stream, WeeklyReport.FeedSource);
        Assert.Equal(new DateOnly(2025, 11, 7), result.Week?.WeekEnding);
    }

    [Theory]
    [InlineData("feed-malformed.xml", "not well-formed")]
    [InlineData("feed-empty.xml", "no items")]
    [InlineData("feed-no-report.xml", "no item titled \"Digital Asset Fund Flows Weekly Report\" among the feed's 2 item(s)")]
    [InlineData("feed-dtd.xml", "DTD")]
    public void Unreadable_feeds_give_a_clear_error_and_no_week(string fixture, string expected)
    {
        var result = WeeklyReport.Read(WeeklyFixtures.Bytes(fixture), WeeklyReport.FeedSource);

        Assert.Null(result.Week);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_input_is_an_error()
    {
        var result = WeeklyReport.Read([], WeeklyReport.FeedSource);
        Assert.Null(result.Week);
        Assert.Equal("the input is empty", result.Error);
    }

    [Fact]
    public void Report_item_without_a_stated_total_is_an_error_not_a_zero()
    {
        const string feed = """
            <rss version="2.0"><channel><item>
            <title>Digital Asset Fund Flows Weekly Report</title>
            <pubDate>Mon, 10 Nov 2025 09:45:12 +0000</pubDate>
            <description>&lt;p&gt;Flows were mixed last week. Bitcoin saw outflows of US$932m.&lt;/p&gt;</description>
            </item></channel></rss>
            """;
        var result = WeeklyReport.Read(System.Text.Encoding.UTF8.GetBytes(feed), WeeklyReport.FeedSource);

        Assert.Null(result.Week);
        Assert.Contains("states no global total", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_item_without_a_date_is_an_error()
    {
        const string feed = """
            <rss version="2.0"><channel><item>
            <title>Digital Asset Fund Flows Weekly Report</title>
            <description>Digital asset investment products saw outflows totalling US$1.17bn.</description>
            </item></channel></rss>
            """;
        var result = WeeklyReport.Read(System.Text.Encoding.UTF8.GetBytes(feed), WeeklyReport.FeedSource);

        Assert.Null(result.Week);
        Assert.Contains("no readable publication date", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Oversized_feed_is_refused()
    {
        using var feed = WeeklyFixtures.Open("feed-2025-11-10.xml");
        var result = WeeklyReport.ReadFeed(feed, WeeklyReport.FeedSource, maxCharacters: 1000);

        Assert.Null(result.Week);
        Assert.Contains("larger than 1000 characters", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Page_without_a_date_asks_for_published_and_accepts_it()
    {
        const string html = "<html><body><article><p>Digital asset investment products saw inflows of US$2.2bn last week.</p></article></body></html>";
        var bytes = System.Text.Encoding.UTF8.GetBytes(html);

        var without = WeeklyReport.Read(bytes, "manual-file");
        Assert.Null(without.Week);
        Assert.Contains("--published", without.Error, StringComparison.Ordinal);

        var with = WeeklyReport.Read(bytes, "manual-file", publishedOn: new DateOnly(2025, 7, 14));
        Assert.Equal(new DateOnly(2025, 7, 11), with.Week?.WeekEnding);
        Assert.Equal(2_200_000_000L, with.Week?.TotalUsd);
    }

    private static void AssertGolden(string expectedFile, WeeklyFlowJson actual)
    {
        var expected = JsonNode.Parse(File.ReadAllText(WeeklyFixtures.Path(expectedFile)))!;
        var actualNode = JsonNode.Parse(JsonSerializer.Serialize(actual, ApiJson.Options))!;
        Assert.True(JsonNode.DeepEquals(expected, actualNode), $"{expectedFile}:\nexpected {expected.ToJsonString()}\nactual   {actualNode.ToJsonString()}");
    }
}
