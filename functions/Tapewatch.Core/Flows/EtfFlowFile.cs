namespace Tapewatch.Core.Flows;

public enum EtfFlowFileFormat
{
    /// <summary>A saved Farside page (.html/.htm).</summary>
    Html,

    /// <summary><c>date,&lt;funds…&gt;,Total</c> in US$ millions, blank = not reported (.csv).</summary>
    Csv,
}

/// <summary>Manual import: a saved Farside page or a flows CSV, from a file or an upload.</summary>
public static class EtfFlowFile
{
    /// <summary>The format from the file extension; null when it is neither .html/.htm nor .csv.</summary>
    public static EtfFlowFileFormat? FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".html" or ".htm" => EtfFlowFileFormat.Html,
        ".csv" => EtfFlowFileFormat.Csv,
        _ => null,
    };

    /// <summary>Parses the content; <paramref name="source"/> is stored with each session (e.g. "file:page.html").</summary>
    public static EtfFlowFetch Parse(string content, EtfFlowFileFormat format, string source)
    {
        if (format == EtfFlowFileFormat.Html && FarsideChallenge.IsChallenge(content))
        {
            return EtfFlowFetch.Fail(source, SourceOutcome.SourceBlocked, "the saved page is a Cloudflare challenge (\"Just a moment…\"), not the flows table");
        }

        var parsed = format == EtfFlowFileFormat.Html ? FarsideHtmlParser.Parse(content) : FlowsCsvReader.Parse(new StringReader(content));
        if (!parsed.Succeeded) return EtfFlowFetch.Fail(source, SourceOutcome.ParseFailed, parsed.Error!) with { Warnings = parsed.Warnings };
        if (parsed.Rows.Count == 0)
        {
            return EtfFlowFetch.Fail(source, SourceOutcome.ParseFailed, "no row could be read" + (parsed.Warnings.Count > 0 ? ": " + parsed.Warnings[0] : "")) with { Warnings = parsed.Warnings };
        }

        return new EtfFlowFetch { Source = source, Outcome = SourceOutcome.Ok, Rows = parsed.Rows, Warnings = parsed.Warnings };
    }

    public static async Task<EtfFlowFetch> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var source = "file:" + Path.GetFileName(path);
        if (FormatOf(path) is not { } format) return NeitherFormat(path, source);

        string content;
        try
        {
            content = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return CannotRead(path, source, ex);
        }

        return Parse(content, format, source);
    }

    /// <summary>
    /// <see cref="ReadAsync"/> without the thread pool, for a command that reads one local file and exits
    /// (<c>ingest etf-flows --file … --dry-run</c>): the same result for the same file.
    /// </summary>
    public static EtfFlowFetch Read(string path)
    {
        var source = "file:" + Path.GetFileName(path);
        if (FormatOf(path) is not { } format) return NeitherFormat(path, source);

        string content;
        try
        {
            content = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return CannotRead(path, source, ex);
        }

        return Parse(content, format, source);
    }

    private static EtfFlowFetch NeitherFormat(string path, string source) =>
        EtfFlowFetch.Fail(source, SourceOutcome.ParseFailed, $"'{Path.GetFileName(path)}' is neither .html/.htm (a saved Farside page) nor .csv");

    private static EtfFlowFetch CannotRead(string path, string source, Exception ex) =>
        EtfFlowFetch.Fail(source, SourceOutcome.Failed, $"cannot read {path}: {ex.Message}");
}
