using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Tapewatch.Core.Weekly;

/// <summary>Plain text of an HTML report: one line per block element, scripts and page chrome left out.</summary>
internal static class HtmlText
{
    private static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "noscript", "template", "nav", "footer", "header", "aside", "form", "svg", "button", "select", "iframe",
    };

    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section", "article", "main",
        "table", "tr", "td", "th", "figure", "figcaption", "pre", "br", "hr", "dd", "dt",
    };

    public static IHtmlDocument Parse(string html) => new HtmlParser().ParseDocument(html);

    /// <summary>The text of a fragment (an RSS item's content).</summary>
    public static string FromFragment(string html) => FromDocument(Parse(html), preferArticle: false);

    /// <summary>The text of a page: its &lt;article&gt; (else &lt;main&gt;, else the body), so related-post teasers stay out.</summary>
    public static string FromDocument(IHtmlDocument document, bool preferArticle = true)
    {
        INode? root = preferArticle ? document.QuerySelector("article") ?? document.QuerySelector("main") : null;
        root ??= document.Body ?? (INode)document.DocumentElement;
        var text = new StringBuilder();
        Append(root, text);
        return text.ToString();
    }

    private static void Append(INode node, StringBuilder text)
    {
        foreach (var child in node.ChildNodes)
        {
            if (child.NodeType == NodeType.Text)
            {
                text.Append(child.TextContent);
            }
            else if (child is IElement element && !Skipped.Contains(element.LocalName))
            {
                var block = Blocks.Contains(element.LocalName);
                if (block) text.Append('\n');
                Append(element, text);
                if (block) text.Append('\n');
            }
        }
    }
}
