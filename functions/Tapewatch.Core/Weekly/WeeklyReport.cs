using System.Text;
using System.Text.RegularExpressions;
using Tapewatch.Core.Domain;

namespace Tapewatch.Core.Weekly;

/// <summary>What reading a feed, an HTML item or a manual entry produced: the week, or why not.</summary>
public sealed record WeeklyReadResult
{
    public WeeklyFundFlow? Week { get; init; }

    /// <summary>Why nothing was read (safe to show).</summary>
    public string? Error { get; init; }

    /// <summary>The report item's title and link when read from a feed or page.</summary>
    public string? Title { get; init; }

    public string? Link { get; init; }

    public int FeedItems { get; init; }

    public static WeeklyReadResult Fail(string error, int feedItems = 0) => new() { Error = error, FeedItems = feedItems };
}

/// <summary>Turns a CoinShares feed or a saved report page into a <see cref="WeeklyFundFlow"/>.</summary>
public static partial class WeeklyReport
{
    public const string DefaultTitle = "Digital Asset Fund Flows Weekly Report";

    public const string FeedSource = "coinshares-rss";

    /// <summary>
    /// The Friday a report covers: the last Friday strictly before its publication date (a Monday report
    /// covers the week to the Friday three days earlier; a Tuesday report after a holiday, four).
    /// </summary>
    public static DateOnly WeekEndingFor(DateOnly publishedOn)
    {
        var back = ((int)publishedOn.DayOfWeek - (int)DayOfWeek.Friday + 7) % 7;
        return publishedOn.AddDays(back == 0 ? -7 : -back);
    }

    /// <summary>The week a run on <paramref name="today"/> (UTC date) expects to be stored: the last Friday before today.</summary>
    public static DateOnly ExpectedWeekEnding(DateOnly today) => WeekEndingFor(today);

    /// <summary>Reads an RSS/Atom feed: the newest report item, its prose, its week.</summary>
    public static WeeklyReadResult ReadFeed(Stream feed, string source, string reportTitle = DefaultTitle, long maxCharacters = CoinSharesFeed.DefaultMaxCharacters)
    {
        var item = CoinSharesFeed.FindReport(feed, reportTitle, maxCharacters, out var count, out var error);
        if (item is null) return WeeklyReadResult.Fail(error!, count);
        if (item.PublishedUtc is not { } published)
        {
            return WeeklyReadResult.Fail($"the report item \"{item.Title}\" has no readable publication date", count);
        }

        var result = FromText(HtmlText.FromFragment(item.Html), DateOnly.FromDateTime(published.UtcDateTime), source, item.Title);
        return result with { Link = item.Link, FeedItems = count };
    }

    /// <summary>Reads a saved report page (HTML); the publication date comes from the page unless given.</summary>
    public static WeeklyReadResult ReadHtml(string html, string source, DateOnly? publishedOn = null)
    {
        var document = HtmlText.Parse(html);
        var title = document.QuerySelector("meta[property='og:title']")?.GetAttribute("content")
            ?? document.QuerySelector("h1")?.TextContent
            ?? document.Title;
        if (string.IsNullOrWhiteSpace(title)) title = null; // a page without any title is untitled, not titled ""
        publishedOn ??= PublishedOn(document, html);
        if (publishedOn is null)
        {
            return WeeklyReadResult.Fail("the page states no publication date (article:published_time, <time datetime> or datePublished); give it with --published");
        }

        return FromText(HtmlText.FromDocument(document), publishedOn.Value, source, title?.Trim());
    }

    /// <summary>A feed (RSS/Atom XML) or a page (HTML), told apart by their first markup.</summary>
    public static WeeklyReadResult Read(byte[] content, string source, string reportTitle = DefaultTitle, DateOnly? publishedOn = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        var head = Encoding.UTF8.GetString(content, 0, Math.Min(content.Length, 4096));
        if (string.IsNullOrWhiteSpace(head.Trim('\uFEFF'))) return WeeklyReadResult.Fail("the input is empty");
        if (LooksLikeHtml().IsMatch(head))
        {
            return ReadHtml(Encoding.UTF8.GetString(content).TrimStart('\uFEFF'), source, publishedOn);
        }

        using var stream = new MemoryStream(content, writable: false);
        var result = ReadFeed(stream, source, reportTitle);
        if (result.Week is { } week && publishedOn is { } given && given != week.PublishedOn)
        {
            return WeeklyReadResult.Fail($"--published {given:yyyy-MM-dd} contradicts the feed's publication date {week.PublishedOn:yyyy-MM-dd}");
        }

        return result;
    }

    private static WeeklyReadResult FromText(string text, DateOnly publishedOn, string source, string? title)
    {
        // The week ends on the Friday before publication: a date in the calendar's first week has none.
        if (publishedOn.DayNumber < 7) return WeeklyReadResult.Fail($"the publication date {publishedOn:yyyy-MM-dd} is out of range");

        var figures = WeeklyReportParser.Parse(text, out var error);
        if (figures is null) return WeeklyReadResult.Fail(error! + (title is null ? "" : $" in \"{title}\""));
        return new WeeklyReadResult
        {
            Title = title,
            Week = new WeeklyFundFlow
            {
                WeekEnding = WeekEndingFor(publishedOn),
                PublishedOn = publishedOn,
                TotalUsd = figures.TotalUsd,
                Assets = figures.Assets,
                Regions = figures.Regions,
                AumUsd = figures.AumUsd,
                Source = source,
            },
        };
    }

    private static DateOnly? PublishedOn(AngleSharp.Html.Dom.IHtmlDocument document, string html)
    {
        var candidates = new[]
        {
            document.QuerySelector("meta[property='article:published_time']")?.GetAttribute("content"),
            document.QuerySelector("meta[itemprop='datePublished']")?.GetAttribute("content"),
            document.QuerySelector("meta[name='date']")?.GetAttribute("content"),
            document.QuerySelector("article time[datetime]")?.GetAttribute("datetime"),
            document.QuerySelector("time[datetime]")?.GetAttribute("datetime"),
            JsonLdDate().Match(html) is { Success: true } m ? m.Groups["d"].Value : null,
        };
        foreach (var c in candidates)
        {
            if (c is not null && CoinSharesFeed.ParseDate(c) is { } d) return DateOnly.FromDateTime(d.UtcDateTime);
        }

        return null;
    }

    [GeneratedRegex(@"^\s*(?:\uFEFF)?\s*(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html|<head|<body|<article|<div|<p[\s>])", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex LooksLikeHtml();

    [GeneratedRegex(@"""datePublished""\s*:\s*""(?<d>[^""]+)""", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.NonBacktracking)]
    private static partial Regex JsonLdDate();
}
