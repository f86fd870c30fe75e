using Tapewatch.Core.Time;
using static Tapewatch.Tests.Rules.RuleTestData;

namespace Tapewatch.Tests.Rules;

/// <summary>The NYSE calendar the streaks and week sums rely on: Easter (Good Friday) over centuries, observed dates, holidays vs weekends.</summary>
public sealed class CalendarTests
{
    /// <summary>Easter Sunday (Gregorian), cross-checked against an independent implementation (python-dateutil).</summary>
    [Theory]
    [InlineData(1818, "1818-03-22")]
    [InlineData(1943, "1943-04-25")]
    [InlineData(1954, "1954-04-18")]
    [InlineData(1981, "1981-04-19")]
    [InlineData(2000, "2000-04-23")]
    [InlineData(2008, "2008-03-23")]
    [InlineData(2011, "2011-04-24")]
    [InlineData(2014, "2014-04-20")]
    [InlineData(2016, "2016-03-27")]
    [InlineData(2019, "2019-04-21")]
    [InlineData(2024, "2024-03-31")]
    [InlineData(2029, "2029-04-01")]
    [InlineData(2033, "2033-04-17")]
    [InlineData(2038, "2038-04-25")]
    [InlineData(2049, "2049-04-18")]
    [InlineData(2076, "2076-04-19")]
    [InlineData(2100, "2100-03-28")]
    [InlineData(2285, "2285-03-22")]
    public void Easter_Sunday_and_Good_Friday(int year, string easter)
    {
        Assert.Equal(D(easter), TradingCalendar.EasterSunday(year));
        Assert.Contains(D(easter).AddDays(-2), Calendar.HolidaysOf(year));
    }

    [Theory]
    [InlineData("2023-01-02")] // 1 Jan 2023 was a Sunday
    [InlineData("2017-01-02")]
    public void New_Year_on_a_Sunday_is_observed_on_Monday(string observed)
    {
        Assert.Contains(D(observed), Calendar.HolidaysOf(D(observed).Year));
        Assert.False(Calendar.IsSession(D(observed)));
    }

    [Theory]
    [InlineData("2025-04-18", true)]  // Good Friday
    [InlineData("2025-01-09", true)]  // unscheduled closure (national day of mourning)
    [InlineData("2025-04-19", false)] // Saturday
    [InlineData("2025-04-20", false)] // Sunday
    [InlineData("2025-04-17", false)] // a trading day
    public void A_holiday_is_a_weekday_without_a_session(string date, bool holiday)
    {
        Assert.Equal(holiday, Calendar.IsHoliday(D(date)));
    }

    [Theory]
    [InlineData("2025-04-17", "2025-04-17")]
    [InlineData("2025-04-18", "2025-04-17")]
    [InlineData("2025-04-20", "2025-04-17")]
    [InlineData("2025-04-21", "2025-04-21")]
    public void Session_on_or_before(string date, string expected)
    {
        Assert.Equal(D(expected), Calendar.SessionOnOrBefore(D(date)));
    }

    [Fact]
    public void Next_and_previous_sessions_skip_weekends_and_holidays()
    {
        Assert.Equal(D("2025-04-21"), Calendar.NextSession(D("2025-04-17")));
        Assert.Equal(D("2025-04-17"), Calendar.PreviousSession(D("2025-04-21")));
        Assert.Equal([D("2025-04-16"), D("2025-04-17"), D("2025-04-21")], Calendar.Sessions(D("2025-04-16"), D("2025-04-21")));
        Assert.Empty(Calendar.Sessions(D("2025-04-18"), D("2025-04-20")));
    }

    [Fact]
    public void Holidays_of_a_year_are_the_same_when_asked_again()
    {
        var first = Calendar.HolidaysOf(2031).Order().ToList();
        Assert.Equal(first, Calendar.HolidaysOf(2031).Order());
        Assert.Equal(10, first.Count);
    }
}
