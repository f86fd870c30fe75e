using nietras.SeparatedValues;

namespace Tapewatch.Core.Csv;

/// <summary>One record of a comma-separated text: its cells and the lines it was written on.</summary>
/// <param name="Line">The line it starts on, the first line (the header) being 1.</param>
/// <param name="LastLine">The line it ends on: past <paramref name="Line"/> only when a quoted cell holds a line break (or a quote is left open).</param>
/// <param name="IsBlank">Nothing but white space: a line the readers skip.</param>
/// <param name="Cells">Quotes removed (<c>"a,""b"""</c> is <c>a,"b"</c>), spaces outside them trimmed; other white space kept.</param>
/// <param name="Text">The record as written, when asked for (to quote a header that cannot be read).</param>
internal sealed record CsvRecord(int Line, int LastLine, bool IsBlank, string[] Cells, string? Text = null)
{
    /// <summary>What makes a record span lines, in the readers' refusals.</summary>
    public const string RunOnCause = "(a line break inside quotes, or a quote left open)";

    public bool SpansLines => LastLine > Line;

    /// <summary>Why a record that spans lines is not read: "line 3: a quoted cell runs on to line 4 (…)".</summary>
    public string RunsOn => $"line {Line}: a quoted cell runs on to line {LastLine} {RunOnCause}";
}

/// <summary>
/// Reads comma-separated text one record at a time with Sep: RFC 4180 quoting (a quoted cell may hold commas, doubled
/// quotes and line breaks), "\r\n", "\n" or "\r" ending a line, a byte order mark before the first record skipped.
/// Rows of any length are returned as they are (the callers say what a short or long row means) and no header is taken:
/// the callers match their column names themselves.
/// </summary>
internal sealed class CsvRecordReader : IDisposable
{
    private static readonly SepReaderOptions Options = Sep.New(',').Reader(o => o with
    {
        HasHeader = false,
        DisableColCountCheck = true,
        Unescape = true,
        Trim = SepTrim.Outer, // so that ` "12.5" ` is the quoted 12.5, as an unquoted ` 12.5 ` is 12.5
    });

    private readonly SepReader _reader;

    public CsvRecordReader(TextReader text)
    {
        if (text.Peek() == '\uFEFF') text.Read();
        _reader = Options.From(text, leaveOpen: true); // the caller's reader, the caller's to dispose
    }

    public CsvRecordReader(string text) => _reader = Options.FromText(text.StartsWith('\uFEFF') ? text[1..] : text);

    /// <summary>The next record, or null after the last.</summary>
    public CsvRecord? Next(bool keepText = false) => _reader.MoveNext() ? Read(_reader.Current, keepText) : null;

    public void Dispose() => _reader.Dispose();

    private static CsvRecord Read(SepReader.Row row, bool keepText)
    {
        // Before any cell is read: unescaping and trimming rewrite the row's text in place.
        var text = keepText ? row.Span.ToString() : null;
        var blank = row.Span.IsWhiteSpace();
        var cells = new string[row.ColCount];
        for (var i = 0; i < cells.Length; i++) cells[i] = row[i].ToString();

        // Sep 0.17.1 gives the first row's LineNumberFrom as its LineNumberToExcl; the first row starts on line 1 anyway.
        var line = row.RowIndex == 0 ? 1 : row.LineNumberFrom;
        return new CsvRecord(line, row.LineNumberToExcl - 1, blank, cells, text);
    }
}
