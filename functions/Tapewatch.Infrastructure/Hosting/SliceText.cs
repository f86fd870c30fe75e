using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using RazorSlices;

namespace Tapewatch.Infrastructure.Hosting;

/// <summary>Renders a Razor Slices template to a string with the app's one HTML encoder.</summary>
public static class SliceText
{
    /// <summary>Encodes &lt; &gt; &amp; " ' + (and control characters) but keeps readable Unicode such as ≥, − and →.</summary>
    public static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>
    /// For the pages and parts made in one go (an email, a report file). A template rendered into a string awaits nothing (no
    /// async partial, no flush), so its rendering has completed when it returns.
    /// </summary>
    public static string Render(RazorSlice slice)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        var rendering = slice.RenderAsync(writer, Encoder);
        if (!rendering.IsCompletedSuccessfully) rendering.AsTask().GetAwaiter().GetResult();
        return writer.ToString();
    }
}
