using Tapewatch.Core.Csv;

namespace Tapewatch.Tests.Foundation;

/// <summary>
/// <see cref="CsvRecordReader"/>, under the three CSV readers: each record's cells and the lines it was written on,
/// however its lines end, including the first record (for which Sep 0.17.1 reports a wrong first line).
/// </summary>
public sealed class CsvRecordReaderTests
{
    private static List<CsvRecord> ReadAll(string text)
    {
        using var reader = new CsvRecordReader(new StringReader(text));
        var records = new List<CsvRecord>();
        while (reader.Next() is { } record) records.Add(record);
        return records;
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void Each_record_has_its_first_and_last_line_whatever_ends_the_lines(string newline)
    {
        var text = string.Join(newline, "\"a", "b\",c", "1,2", "", "   ", "\"x\",\"y", "", "z\"", "3,4");

        var records = ReadAll(text);

        Assert.Equal([(1, 2), (3, 3), (4, 4), (5, 5), (6, 8), (9, 9)], records.Select(r => (r.Line, r.LastLine)));
        Assert.Equal([false, false, true, true, false, false], records.Select(r => r.IsBlank));
        Assert.Equal(["a" + newline + "b", "c"], records[0].Cells);
        Assert.Equal(["x", "y" + newline + newline + "z"], records[4].Cells);
    }

    [Fact]
    public void A_first_record_on_one_line_starts_and_ends_on_line_1()
    {
        var record = Assert.Single(ReadAll("date,close"));

        Assert.Equal((1, 1, false), (record.Line, record.LastLine, record.SpansLines));
    }

    [Fact]
    public void Cells_lose_their_quotes_and_the_spaces_outside_them_but_keep_other_white_space()
    {
        var record = Assert.Single(ReadAll(" \"a,\"\"b\"\"\" , c ,\t\"d\"\t,\"\""));

        Assert.Equal(["a,\"b\"", "c", "\t\"d\"\t", ""], record.Cells);
    }

    [Fact]
    public void The_text_as_written_is_kept_only_when_asked_for()
    {
        using var reader = new CsvRecordReader("\uFEFF \"date\" ,close\n2024-01-11,1\n");

        Assert.Equal(" \"date\" ,close", reader.Next(keepText: true)!.Text);
        Assert.Null(reader.Next()!.Text);
        Assert.Null(reader.Next());
    }

    [Fact]
    public void Empty_text_has_no_record_and_a_lone_line_break_one_blank_record()
    {
        Assert.Empty(ReadAll(""));
        Assert.Equal((1, 1, true), ReadAll("\n").Select(r => (r.Line, r.LastLine, r.IsBlank)).Single());
    }
}
