using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace Tapewatch.Core.Weekly;

/// <summary>One feed item: title, link, publication time and its HTML (full content when the feed carries it).</summary>
public sealed record FeedItem(string Title, string? Link, DateTimeOffset? PublishedUtc, string Html);

/// <summary>
/// Reads an RSS 2.0 / RSS 1.0 / Atom feed safely (no DTD, no external resolution, size-capped) and
/// picks the newest item whose title contains the report title.
/// </summary>
public static partial class CoinSharesFeed
{
    public const long DefaultMaxCharacters = 20_000_000;

    /// <summary>Parses the feed; returns the report item, or null with a reason (nothing else is touched).</summary>
    public static FeedItem? FindReport(Stream feed, string reportTitle, long maxCharacters, out int itemCount, out string? error)
    {
        itemCount = 0;
        XDocument document;
        try
        {
            var settings = new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                MaxCharactersInDocument = maxCharacters,
                MaxCharactersFromEntities = 1024,
                IgnoreComments = true,
                IgnoreProcessingInstructions = true,
            };
            using var reader = XmlReader.Create(feed, settings);
            document = XDocument.Load(reader, LoadOptions.None);
        }
        catch (XmlException ex)
        {
            error = ex.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase)
                ? "the feed declares a DTD, which is refused (not an RSS feed, or unsafe)"
                : ex.Message.Contains(nameof(XmlReaderSettings.MaxCharactersInDocument), StringComparison.Ordinal)
                    ? $"the feed is larger than {maxCharacters} characters"
                    : $"the feed is not well-formed XML: {ex.Message}";
            return null;
        }

        var root = document.Root!.Name.LocalName;
        if (root is not ("rss" or "feed" or "RDF"))
        {
            error = $"not an RSS or Atom feed (root element <{root}>)";
            return null;
        }

        var items = document.Descendants().Where(e => e.Name.LocalName is "item" or "entry").Select(ToItem).ToList();
        itemCount = items.Count;
        if (items.Count == 0)
        {
            error = "the feed has no items";
            return null;
        }

        var report = items
            .Where(i => i.Title.Contains(reportTitle, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(i => i.PublishedUtc ?? DateTimeOffset.MinValue)
            .FirstOrDefault();
        if (report is null)
        {
            error = $"no item titled \"{reportTitle}\" among the feed's {items.Count} item(s)";
            return null;
        }

        error = null;
        return report;
    }

    private static FeedItem ToItem(XElement item)
    {
        string? Child(params string[] names) =>
            names.Select(n => item.Elements().FirstOrDefault(e => e.Name.LocalName == n)).FirstOrDefault(e => e is not null && !string.IsNullOrWhiteSpace(e.Value))?.Value;

        var link = item.Elements().FirstOrDefault(e => e.Name.LocalName == "link") is { } l
            ? (string.IsNullOrWhiteSpace(l.Value) ? (string?)l.Attribute("href") : l.Value.Trim())
            : null;
        var published = Child("pubDate", "published", "date", "updated");
        return new FeedItem(
            Whitespace().Replace(Child("title") ?? "", " ").Trim(),
            link,
            published is null ? null : ParseDate(published),
            Child("encoded", "content") ?? Child("description", "summary") ?? "");
    }

    /// <summary>RFC 822 (RSS: "Mon, 10 Nov 2025 09:12:45 +0000" / "GMT") or ISO 8601 (Atom).</summary>
    public static DateTimeOffset? ParseDate(string text)
    {
        var t = text.Trim();
        var rfc = Rfc822().Match(t);
        if (rfc.Success)
        {
            var zone = rfc.Groups["zone"].Value.ToUpperInvariant() switch
            {
                "GMT" or "UT" or "UTC" or "Z" => "+00:00",
                "EST" => "-05:00",
                "EDT" => "-04:00",
                "CST" => "-06:00",
                "CDT" => "-05:00",
                "PST" => "-08:00",
                "PDT" => "-07:00",
                var z when z.Length == 5 => z[..3] + ":" + z[3..],
                _ => null,
            };
            if (zone is not null)
            {
                var seconds = rfc.Groups["sec"].Success ? rfc.Groups["sec"].Value : ":00";
                var iso = $"{rfc.Groups["day"].Value} {rfc.Groups["mon"].Value} {rfc.Groups["year"].Value} {rfc.Groups["hm"].Value}{seconds} {zone}";
                if (DateTimeOffset.TryParseExact(iso, "d MMM yyyy H:mm:ss zzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d.ToUniversalTime();
            }
        }

        return DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var iso8601) ? iso8601.ToUniversalTime() : null;
    }

    [GeneratedRegex(@"^(?:[A-Za-z]{3},\s*)?(?<day>[0-9]{1,2})\s+(?<mon>[A-Za-z]{3})\s+(?<year>[0-9]{4})\s+(?<hm>[0-9]{1,2}:[0-9]{2})(?<sec>:[0-9]{2})?\s+(?<zone>[+-][0-9]{4}|[A-Za-z]{1,3})$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex Rfc822();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex Whitespace();
}
