using System.Buffers;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Tapewatch.Core.Flows;

/// <summary>
/// The tables of a page as <see cref="FarsideHtmlParser"/> reads them: per table whether it has class "etf", its rows in
/// the order of <c>HTMLTableElement.rows</c> (rows of <c>&lt;thead&gt;</c> first, then those of <c>&lt;tbody&gt;</c>, then
/// those of <c>&lt;tfoot&gt;</c>), per row whether it is a header row (in <c>&lt;thead&gt;</c>, or made only of
/// <c>&lt;th&gt;</c> cells) and its cells with colspan expanded (1–50; the filler cells are empty), each cell's text
/// content with whitespace collapsed to one space and trimmed. Filled either by <see cref="FarsideTableScanner"/> (a
/// hand-written reader of the markup Farside serves) or, for any other page, from AngleSharp's DOM
/// (<see cref="ReadWithAngleSharp"/>): the same figures either way. Buffers are pooled: dispose after use.
/// </summary>
internal sealed class FarsideTables : IDisposable
{
    internal const int Thead = 0;
    internal const int Tbody = 1;
    internal const int Tfoot = 2;

    private char[] _text;
    private Cell[] _cells;
    private Row[] _rows;
    private int _textLength;
    private int _cellCount;
    private int _rowCount;
    private readonly List<Table> _tables = [];

    private int _cellStart = -1;
    private bool _pendingSpace;

    public FarsideTables(int sizeHint = 0)
    {
        _text = ArrayPool<char>.Shared.Rent(Math.Max(256, sizeHint / 16));
        _cells = ArrayPool<Cell>.Shared.Rent(Math.Max(64, sizeHint / 64));
        _rows = ArrayPool<Row>.Shared.Rent(Math.Max(16, sizeHint / 1024));
    }

    public int TableCount => _tables.Count;

    public bool IsEtf(int table) => _tables[table].IsEtf;

    public int RowCount => _rowCount;

    public ref readonly Row RowAt(int row) => ref _rows[row];

    /// <summary>The rows of a table in <c>HTMLTableElement.rows</c> order: thead rows, then tbody rows, then tfoot rows.</summary>
    public RowOrder RowsOf(int table) => new(this, _tables[table]);

    public ReadOnlySpan<char> CellText(int row, int column)
    {
        var cell = _cells[_rows[row].FirstCell + column];
        return _text.AsSpan(cell.Start, cell.Length);
    }

    public string CellString(int row, int column) => new(CellText(row, column));

    public void BeginTable(bool isEtf) => _tables.Add(new Table(isEtf, _rowCount));

    public void BeginRow(int section)
    {
        if (_rowCount == _rows.Length) Grow(ref _rows, _rowCount + 1);
        _rows[_rowCount++] = new Row(section, _cellCount, 0, 0, true);
        var table = _tables[^1];
        _tables[^1] = table with { RowEnd = _rowCount };
    }

    public void BeginCell()
    {
        _cellStart = _textLength;
        _pendingSpace = false;
    }

    /// <summary>Appends text content to the open cell: whitespace (char.IsWhiteSpace, so U+00A0 too) collapses to one space, leading and trailing whitespace is dropped.</summary>
    public void AppendText(ReadOnlySpan<char> text)
    {
        foreach (var c in text) AppendChar(c);
    }

    public void AppendChar(char c)
    {
        if (char.IsWhiteSpace(c))
        {
            _pendingSpace = _textLength > _cellStart;
            return;
        }

        if (_textLength + 2 > _text.Length) Grow(ref _text, _textLength + 2);
        if (_pendingSpace)
        {
            _text[_textLength++] = ' ';
            _pendingSpace = false;
        }

        _text[_textLength++] = c;
    }

    /// <summary>Closes the open cell: one cell of its text, then span − 1 empty cells (span clamped to 1–50 as the parser documents).</summary>
    public void EndCell(bool isTh, int columnSpan)
    {
        var span = Math.Clamp(columnSpan, 1, 50);
        if (_cellCount + span > _cells.Length) Grow(ref _cells, _cellCount + span);
        _cells[_cellCount++] = new Cell(_cellStart, _textLength - _cellStart);
        for (var i = 1; i < span; i++) _cells[_cellCount++] = new Cell(_textLength, 0);
        ref var row = ref _rows[_rowCount - 1];
        row = row with { ExpandedCells = row.ExpandedCells + span, Cells = row.Cells + 1, AllTh = row.AllTh && isTh };
        _cellStart = -1;
    }

    public void Dispose()
    {
        ArrayPool<char>.Shared.Return(_text);
        ArrayPool<Cell>.Shared.Return(_cells);
        ArrayPool<Row>.Shared.Return(_rows);
        _text = [];
        _cells = [];
        _rows = [];
    }

    /// <summary>The tables of AngleSharp's DOM of the page, in document order (any HTML, however broken).</summary>
    public static FarsideTables ReadWithAngleSharp(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        var tables = new FarsideTables(html.Length);
        foreach (var table in document.QuerySelectorAll("table").OfType<IHtmlTableElement>())
        {
            tables.BeginTable(table.ClassList.Contains("etf"));
            foreach (var row in table.Rows)
            {
                var section = row.ParentElement is IHtmlTableSectionElement { LocalName: "thead" } ? Thead
                    : row.ParentElement is IHtmlTableSectionElement { LocalName: "tfoot" } ? Tfoot
                    : Tbody;
                tables.BeginRow(section);
                foreach (var cell in row.Cells)
                {
                    tables.BeginCell();
                    tables.AppendText(cell.TextContent);
                    tables.EndCell(cell.LocalName == "th", cell.ColumnSpan);
                }
            }
        }

        return tables;
    }

    private static void Grow<T>(ref T[] array, int needed)
    {
        var bigger = ArrayPool<T>.Shared.Rent(Math.Max(needed, array.Length * 2));
        Array.Copy(array, bigger, array.Length);
        ArrayPool<T>.Shared.Return(array);
        array = bigger;
    }

    internal readonly record struct Cell(int Start, int Length);

    /// <summary>A row: its section (<see cref="Thead"/>…), its first expanded cell, how many expanded and real cells, whether every real cell is a th.</summary>
    internal readonly record struct Row(int Section, int FirstCell, int ExpandedCells, int Cells, bool AllTh)
    {
        public bool IsHeader => Section == Thead || (Cells > 0 && AllTh);
    }

    internal readonly record struct Table(bool IsEtf, int RowStart)
    {
        public int RowEnd { get; init; } = RowStart;
    }

    /// <summary>Enumerates a table's row indices in rows order (three passes over its rows: thead, tbody, tfoot).</summary>
    internal struct RowOrder(FarsideTables owner, Table table)
    {
        private int _section;
        private int _row = table.RowStart - 1;

        public readonly RowOrder GetEnumerator() => this;

        public readonly int Current => _row;

        public bool MoveNext()
        {
            while (_section <= Tfoot)
            {
                while (++_row < table.RowEnd)
                {
                    if (owner._rows[_row].Section == _section) return true;
                }

                _section++;
                _row = table.RowStart - 1;
            }

            return false;
        }
    }
}
