using Tapewatch.Core.Time;

namespace Tapewatch.Tests.Foundation;

public sealed class TradingCalendarTests
{
    private static readonly TradingCalendar Calendar = new();

    [Theory]
    [InlineData(2025, new[] { "2025-01-01", "2025-01-20", "2025-02-17", "2025-04-18", "2025-05-26", "2025-06-19", "2025-07-04", "2025-09-01", "2025-11-27", "2025-12-25" })]
    [InlineData(2026, new[] { "2026-01-01", "2026-01-19", "2026-02-16", "2026-04-03", "2026-05-25", "2026-06-19", "2026-07-03", "2026-09-07", "2026-11-26", "2026-12-25" })]
    [InlineData(2027, new[] { "2027-01-01", "2027-01-18", "2027-02-15", "2027-03-26", "2027-05-31", "2027-06-18", "2027-07-05", "2027-09-06", "2027-11-25", "2027-12-24" })]
    [InlineData(2022, new[] { "2022-01-17", "2022-02-21", "2022-04-15", "2022-05-30", "2022-06-20", "2022-07-04", "2022-09-05", "2022-11-24", "2022-12-26" })]
    public void Holidays_match_the_NYSE_calendar(int year, string[] expected)
    {
        var holidays = Calendar.HolidaysOf(year).Select(d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).Order();
        Assert.Equal(expected.Order(), holidays);
    }

    [Fact]
    public void Saturday_new_year_is_not_observed_on_the_preceding_friday()
    {
        Assert.True(Calendar.IsSession(new DateOnly(2021, 12, 31)));
        Assert.DoesNotContain(new DateOnly(2021, 12, 31), Calendar.HolidaysOf(2022));
    }

    [Fact]
    public void Configured_extra_closure_is_not_a_session()
    {
        Assert.False(Calendar.IsSession(new DateOnly(2025, 1, 9)));
        Assert.True(new TradingCalendar([]).IsSession(new DateOnly(2025, 1, 9)));
        Assert.Equal(new DateOnly(2025, 1, 8), Calendar.PreviousSession(new DateOnly(2025, 1, 10)));
    }

    [Theory]
    [InlineData("2025-11-07", "2025-11-07T21:00:00Z")] // EST: 16:00 = 21:00 UTC
    [InlineData("2026-07-06", "2026-07-06T20:00:00Z")] // EDT: 16:00 = 20:00 UTC
    public void Close_is_16_00_New_York(string session, string expectedUtc)
    {
        var close = NewYorkTime.CloseUtc(DateOnly.Parse(session, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(DateTimeOffset.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture), close);
    }

    [Theory]
    [InlineData("2025-11-07T20:59:00Z", "2025-11-06")] // before the Friday close
    [InlineData("2025-11-07T21:00:00Z", "2025-11-07")]
    [InlineData("2025-11-09T12:00:00Z", "2025-11-07")] // Sunday
    [InlineData("2025-11-28T03:00:00Z", "2025-11-26")] // Thanksgiving night (27 Nov closed)
    public void Latest_closed_session(string utcNow, string expected)
    {
        var now = DateTimeOffset.Parse(utcNow, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Calendar.LatestClosedSession(now));
    }

    [Fact]
    public void Week_starts_on_monday()
    {
        Assert.Equal(new DateOnly(2025, 11, 3), TradingCalendar.WeekStart(new DateOnly(2025, 11, 7)));
        Assert.Equal(new DateOnly(2025, 11, 3), TradingCalendar.WeekStart(new DateOnly(2025, 11, 3)));
        Assert.Equal(new DateOnly(2025, 11, 3), TradingCalendar.WeekStart(new DateOnly(2025, 11, 9)));
    }
}
