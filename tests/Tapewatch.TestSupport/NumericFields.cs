using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Tapewatch.TestSupport;

/// <summary>
/// One numeric field of an input: its place (<see cref="Path"/>, e.g. <c>$[3].fundingRate</c> or <c>line 4, IBIT</c>),
/// its shape (the path with list positions folded, <c>$[*].fundingRate</c>, or the column's header), and the span of its text.
/// </summary>
public sealed record NumericField(string Path, string Shape, int Start, int Length, bool BareJsonNumber = false)
{
    /// <summary>The values swept into this field: <see cref="InputMutator.EdgeNumbers"/>, or edge dates for a date.</summary>
    public IReadOnlyList<string> Edges { get; init; } = InputMutator.EdgeNumbers;

    public override string ToString() => Path;
}

/// <summary>
/// Finds the numeric fields of an input, for the edge sweep: each one is replaced in turn by each of
/// <see cref="InputMutator.EdgeNumbers"/>. JSON: every number and every string that reads as a number, at its path.
/// CSV: every cell of a data line that is a number, blank or "-". HTML: every <c>&lt;td&gt;</c> whose text is a
/// number, "(number)" or "-". Prose: every "US$…" amount. All shapes: every date (see <see cref="Dates"/>).
/// </summary>
public static partial class NumericFields
{
    public static readonly string[] EdgeIsoDates = ["0001-01-01", "9999-12-31", "2026-02-30"];

    public static readonly string[] EdgeTextDates = ["01 Jan 0001", "31 Dec 9999", "30 Feb 2026"];

    /// <summary>The edge sweep's inputs: <paramref name="fields"/> each replaced by each edge value.</summary>
    public static IEnumerable<(NumericField Field, string Edge, string Input)> Sweep(string input, IReadOnlyList<NumericField> fields)
    {
        foreach (var field in fields)
        {
            foreach (var edge in field.Edges) yield return (field, edge, Replace(input, field, edge));
        }
    }

    /// <summary>
    /// Up to <paramref name="perShape"/> fields of each shape (the first, the last, and evenly between): a list of 25
    /// records of the same shape needs its first and last swept, not all 25; and of at most <paramref name="maxShapes"/>
    /// shapes besides dates. Order is kept.
    /// </summary>
    public static IReadOnlyList<NumericField> Sample(IReadOnlyList<NumericField> fields, int perShape, int maxShapes = int.MaxValue)
    {
        var keep = new HashSet<NumericField>();
        var groups = fields.GroupBy(f => f.Shape).ToList();
        var numeric = groups.Where(g => g.Key != "date").ToList();
        if (numeric.Count > maxShapes)
        {
            // Evenly spaced from the first shape to the last (a table's first fund column and its Total); dates stay.
            var chosen = Enumerable.Range(0, maxShapes).Select(k => numeric[maxShapes == 1 ? 0 : (int)Math.Round(k * (numeric.Count - 1) / (double)(maxShapes - 1))]).ToHashSet();
            groups = groups.Where(g => g.Key == "date" || chosen.Contains(g)).ToList();
        }

        foreach (var group in groups)
        {
            var list = group.ToList();
            if (list.Count <= perShape)
            {
                keep.UnionWith(list);
                continue;
            }

            for (var k = 0; k < perShape; k++) keep.Add(list[perShape == 1 ? 0 : (int)Math.Round(k * (list.Count - 1) / (double)(perShape - 1))]);
        }

        return fields.Where(keep.Contains).ToList();
    }

    /// <summary>The input with the field's text replaced; a bare JSON number becomes a string when the value is not JSON number syntax.</summary>
    public static string Replace(string input, NumericField field, string value)
    {
        var text = field.BareJsonNumber && !JsonNumber().IsMatch(value) ? "\"" + value + "\"" : value;
        return string.Concat(input.AsSpan(0, field.Start), text, input.AsSpan(field.Start + field.Length));
    }

    public static IReadOnlyList<NumericField> InJson(string json) => [.. JsonNumbers(json), .. Dates(json)];

    private static List<NumericField> JsonNumbers(string json)
    {
        var fields = new List<NumericField>();
        var frames = new List<Frame>();
        var i = 0;
        while (i < json.Length)
        {
            var c = json[i];
            switch (c)
            {
                case '{':
                    frames.Add(new Frame(false));
                    i++;
                    break;
                case '[':
                    frames.Add(new Frame(true));
                    i++;
                    break;
                case '}' or ']':
                    if (frames.Count > 0) frames.RemoveAt(frames.Count - 1);
                    i++;
                    break;
                case ',':
                    if (frames.Count > 0)
                    {
                        var top = frames[^1];
                        if (top.IsArray) top.Index++;
                        else top.Key = null;
                    }

                    i++;
                    break;
                case '"':
                {
                    var end = i + 1;
                    while (end < json.Length && json[end] != '"') end += json[end] == '\\' ? 2 : 1;
                    var content = json.Substring(i + 1, Math.Min(end, json.Length) - i - 1);
                    var next = end + 1;
                    while (next < json.Length && char.IsWhiteSpace(json[next])) next++;
                    if (frames.Count > 0 && !frames[^1].IsArray && frames[^1].Key is null && next < json.Length && json[next] == ':')
                    {
                        frames[^1].Key = content;
                    }
                    else if (IsNumber(content))
                    {
                        fields.Add(new NumericField(PathOf(frames, folded: false), PathOf(frames, folded: true), i + 1, content.Length));
                    }

                    i = end + 1;
                    break;
                }

                default:
                    if (c == '-' || char.IsAsciiDigit(c))
                    {
                        var end = i + 1;
                        while (end < json.Length && (char.IsAsciiDigit(json[end]) || json[end] is '.' or 'e' or 'E' or '+' or '-')) end++;
                        fields.Add(new NumericField(PathOf(frames, folded: false), PathOf(frames, folded: true), i, end - i, BareJsonNumber: true));
                        i = end;
                    }
                    else
                    {
                        i++;
                    }

                    break;
            }
        }

        return fields;
    }

    /// <summary>Cells of the data lines (every line after the header); quoted cells are read as their content.</summary>
    public static IReadOnlyList<NumericField> InCsv(string csv) => [.. CsvCells(csv), .. Dates(csv)];

    private static List<NumericField> CsvCells(string csv)
    {
        var fields = new List<NumericField>();
        var header = new List<string>();
        var lineStart = 0;
        var lineNumber = 0;
        while (lineStart < csv.Length)
        {
            var lineEnd = csv.IndexOf('\n', lineStart);
            if (lineEnd < 0) lineEnd = csv.Length;
            lineNumber++;
            if (lineNumber == 1)
            {
                header = Cells(csv[lineStart..lineEnd].TrimEnd('\r'));
            }
            else
            {
                var column = 0;
                var cellStart = lineStart;
                var quoted = false;
                for (var p = lineStart; p <= lineEnd; p++)
                {
                    var atEnd = p == lineEnd || (p < csv.Length && csv[p] == '\r' && p + 1 == lineEnd);
                    if (!atEnd && csv[p] == '"') quoted = !quoted;
                    if (atEnd || (!quoted && csv[p] == ','))
                    {
                        var name = column < header.Count && header[column].Length > 0 ? header[column] : $"column {column + 1}";
                        AddCell(fields, csv, cellStart, p, $"line {lineNumber}, {name}", name);
                        column++;
                        cellStart = p + 1;
                        if (atEnd) break;
                    }
                }
            }

            lineStart = lineEnd + 1;
        }

        return fields;
    }

    /// <summary>The data cells (<c>&lt;td&gt;</c>) of every table row, by row and column.</summary>
    public static IReadOnlyList<NumericField> InHtmlTable(string html) => [.. HtmlCells(html), .. Dates(html)];

    private static List<NumericField> HtmlCells(string html)
    {
        var fields = new List<NumericField>();
        var row = 0;
        var column = 0;
        foreach (Match m in HtmlCellOrRow().Matches(html))
        {
            if (m.Groups["row"].Success)
            {
                row++;
                column = 0;
                continue;
            }

            column++;
            if (m.Groups["tag"].Value.Equals("th", StringComparison.OrdinalIgnoreCase)) continue;
            var inner = m.Groups["inner"];
            var text = InnermostText().Match(inner.Value);
            var span = text.Success ? text.Groups["text"] : null;
            var start = span is null ? inner.Index : inner.Index + span.Index;
            var value = span is null ? inner.Value : span.Value;
            var trimmed = value.Trim();
            if (!IsCellNumber(trimmed)) continue;
            fields.Add(new NumericField($"row {row}, column {column}", $"column {column}", start + value.IndexOf(trimmed, StringComparison.Ordinal), trimmed.Length));
        }

        return fields;
    }

    /// <summary>The number of every "US$…" / "$…" / "USD …" amount in prose.</summary>
    public static IReadOnlyList<NumericField> InProse(string text) =>
        [.. ProseAmount().Matches(text).Select((m, k) => new NumericField($"amount {k + 1} ('{m.Value}')", "amount", m.Groups["num"].Index, m.Groups["num"].Length)), .. Dates(text)];

    /// <summary>
    /// Every date in the text (ISO "2026-01-06…", "06 Jan 2026", RFC 822 "Mon, 10 Nov 2025 …"), swept with the first
    /// and last day a date can have, written the same way (a day before or after them leaves the calendar), and an
    /// impossible day.
    /// </summary>
    public static IReadOnlyList<NumericField> Dates(string text) =>
        DateText().Matches(text).Select((m, k) => new NumericField($"date {k + 1} ('{m.Value}')", "date", m.Index, m.Length)
        {
            Edges = m.Groups["iso"].Success ? EdgeIsoDates : EdgeTextDates,
        }).ToList();

    /// <summary>The cells of a CSV line, unquoted and trimmed.</summary>
    private static List<string> Cells(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted)
            {
                cells.Add(cell.ToString().Trim());
                cell.Clear();
            }
            else cell.Append(c);
        }

        cells.Add(cell.ToString().Trim());
        return cells;
    }

    private static void AddCell(List<NumericField> fields, string csv, int start, int end, string path, string shape)
    {
        var cell = csv[start..end];
        var trimmed = cell.Trim();
        if (trimmed.Length >= 2 && trimmed[0] == '"' && trimmed[^1] == '"') trimmed = trimmed[1..^1].Trim();
        if (!IsCellNumber(trimmed) && trimmed.Length > 0) return;
        var offset = trimmed.Length == 0 ? cell.Length - cell.TrimStart().Length : cell.IndexOf(trimmed, StringComparison.Ordinal);
        fields.Add(new NumericField(path, shape, start + offset, trimmed.Length));
    }

    private static bool IsCellNumber(string text)
    {
        if (text is "-" or "–" or "—") return true;
        var t = text.StartsWith('(') && text.EndsWith(')') ? text[1..^1] : text;
        return t.Length > 0 && IsNumber(t.Replace(",", "", StringComparison.Ordinal));
    }

    private static bool IsNumber(string text) =>
        text.Trim().Length > 0 && decimal.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static string PathOf(List<Frame> frames, bool folded)
    {
        var sb = new StringBuilder("$");
        foreach (var f in frames)
        {
            if (f.IsArray) sb.Append(folded ? "[*]" : $"[{f.Index}]");
            else if (f.Key is not null) sb.Append('.').Append(f.Key);
        }

        return sb.ToString();
    }

    private sealed class Frame(bool isArray)
    {
        public bool IsArray { get; } = isArray;

        public int Index { get; set; }

        public string? Key { get; set; }
    }

    [GeneratedRegex(@"^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$")]
    private static partial Regex JsonNumber();

    [GeneratedRegex(@"(?<row><tr\b)|<(?<tag>td|th)\b[^>]*>(?<inner>.*?)</\k<tag>\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex HtmlCellOrRow();

    /// <summary>The text of the innermost element of a cell ("<c>&lt;span class="redFont"&gt;(44.5)&lt;/span&gt;</c>" → "(44.5)").</summary>
    [GeneratedRegex(@"(?<=>|^)(?<text>[^<>]*[0-9\-–—][^<>]*)(?=<|$)")]
    private static partial Regex InnermostText();

    [GeneratedRegex(@"(?<![0-9])(?:(?<iso>[0-9]{4}-[0-9]{2}-[0-9]{2})|[0-9]{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4})(?![0-9])")]
    private static partial Regex DateText();

    [GeneratedRegex(@"(?:US\$|USD\s?|\$)\s?(?<num>[0-9][0-9,]*(?:\.[0-9]+)?)")]
    private static partial Regex ProseAmount();
}
