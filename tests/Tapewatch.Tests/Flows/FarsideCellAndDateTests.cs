using System.Globalization;
using Tapewatch.Core.Flows;
using static Tapewatch.Tests.Flows.FarsideTableMarkup;

namespace Tapewatch.Tests.Flows;

/// <summary>
/// Farside's cells and date labels: which texts are a value in US$m (parentheses negative, thousands separators, a
/// leading sign, at most US$1 trillion either way), which are "not reported" (blank, hyphen, en and em dash), which are
/// not numbers; which first-column labels are dates ("06 Jul 2026" and the other documented forms) and which are not.
/// </summary>
public sealed class FarsideCellAndDateTests
{
    [Theory]
    [InlineData("12.5", "12.5")]
    [InlineData("-12.5", "-12.5")]
    [InlineData("+12.5", "12.5")]
    [InlineData("(12.5)", "-12.5")]
    [InlineData("( 12.5 )", "-12.5")]
    [InlineData(" (12.5) ", "-12.5")]
    [InlineData("(0.0)", "0.0")]
    [InlineData("(1,205.2)", "-1205.2")]
    [InlineData("1,000,000", "1000000")]
    [InlineData("1000000.00", "1000000")]
    [InlineData("(1000000)", "-1000000")]
    [InlineData("-1000000", "-1000000")]
    [InlineData("(\u00A012.5\u00A0)", "-12.5")]
    [InlineData("1,205.2\u00A0", "1205.2")]
    public void A_number_cell_is_its_value_in_millions(string text, string expected)
    {
        Assert.True(FarsideHtmlParser.TryParseCell(text, out var value));
        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("-")]
    [InlineData(" - ")]
    [InlineData("–")]
    [InlineData("—")]
    [InlineData(" ")]
    public void A_dash_or_blank_cell_is_not_reported(string text)
    {
        Assert.True(FarsideHtmlParser.TryParseCell(text, out var value));
        Assert.Null(value);
    }

    [Theory]
    [InlineData("(12.5")]
    [InlineData("12.5)")]
    [InlineData(")12.5(")]
    [InlineData("(-12.5)")]
    [InlineData("(1000000.1)")]
    [InlineData("1000000.01")]
    [InlineData("-1000000.01")]
    [InlineData("1e3")]
    [InlineData("12.5%")]
    [InlineData("$12")]
    [InlineData("--")]
    [InlineData("()")]
    public void A_cell_that_is_not_a_usable_number_does_not_parse(string text)
    {
        Assert.False(FarsideHtmlParser.TryParseCell(text, out var value));
        Assert.Null(value);
    }

    /// <summary>A table with the label's row and a fixed row dated 03 Jan 2000, so that the table is read either way.</summary>
    private static EtfFlowParseResult WithLabel(string label) => FarsideHtmlParser.Parse(Etf("03 Jan 2000|0.0|0.0|0.0", label + "|1.0|2.0|3.0"));

    [Theory]
    [InlineData("06 Jul 2026", "2026-07-06")]
    [InlineData("6 Jul 2026", "2026-07-06")]
    [InlineData("06 July 2026", "2026-07-06")]
    [InlineData("6 July 2026", "2026-07-06")]
    [InlineData("2026-07-06", "2026-07-06")]
    [InlineData("16 Feb 2026", "2026-02-16")]
    [InlineData("01 Jan 2026", "2026-01-01")]
    [InlineData("31 Dec 2025", "2025-12-31")]
    [InlineData("30 Sep 2026", "2026-09-30")]
    [InlineData("31 Oct 2026", "2026-10-31")]
    [InlineData("29 Feb 2024", "2024-02-29")]
    [InlineData("28 Feb 2026", "2026-02-28")]
    [InlineData("01 Jan 0001", "0001-01-01")]
    [InlineData("31 Dec 9999", "9999-12-31")]
    [InlineData("11 May 2026", "2026-05-11")]
    public void A_date_label_dates_its_row(string label, string expected)
    {
        var result = WithLabel(label);

        Assert.True(result.Succeeded, result.Error);
        Assert.Empty(result.Warnings);
        var date = DateOnly.ParseExact(expected, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Equal(new[] { new DateOnly(2000, 1, 3), date }.Order(), result.Rows.Select(r => r.Date));
        Assert.Equal(3.0m, result.Rows.Single(r => r.Date == date).TotalUsdM);
    }

    [Theory]
    [InlineData("29 Feb 2026")]
    [InlineData("30 Feb 2024")]
    [InlineData("31 Apr 2026")]
    [InlineData("32 Jan 2026")]
    [InlineData("00 Jan 2026")]
    [InlineData("06 Jan 0000")]
    [InlineData("06 Xyz 2026")]
    [InlineData("06xJul 2026")]
    [InlineData("06 Julx2026")]
    [InlineData("06-Jul-2026")]
    [InlineData("06 Jul 20261")]
    [InlineData("06 Jul 202")]
    [InlineData("0a Jul 2026")]
    [InlineData("xx Jul yyyy")]
    [InlineData("06 Jul 2o26")]
    [InlineData("2026-13-01")]
    [InlineData("Jul 06 2026")]
    [InlineData("06/07/2026")]
    [InlineData("Someday")]
    public void A_label_that_is_not_a_date_skips_its_row_with_its_reason(string label)
    {
        var result = WithLabel(label);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(["row '" + label + "': not a date; skipped"], result.Warnings);
        Assert.Equal(new DateOnly(2000, 1, 3), Assert.Single(result.Rows).Date);
    }
}
