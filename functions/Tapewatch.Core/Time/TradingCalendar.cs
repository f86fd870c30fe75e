
namespace Tapewatch.Core.Time;

public sealed class CalendarOptions
{
    public const string SectionName = "Calendar";

    /// <summary>Unscheduled closures (e.g. 2025-01-09, the national day of mourning).</summary>
    public List<DateOnly> ExtraClosures { get; init; } = [new DateOnly(2025, 1, 9)];
}

/// <summary>NYSE full-day closures computed for any year, plus configured unscheduled closures.</summary>
public sealed class TradingCalendar
{
    private readonly HashSet<DateOnly> _extraClosures;
    private readonly Dictionary<int, HashSet<DateOnly>> _holidaysByYear = [];
    private readonly Lock _gate = new();

    public TradingCalendar(CalendarOptions options)
        : this(options.ExtraClosures)
    {
    }

    public TradingCalendar(IEnumerable<DateOnly>? extraClosures = null)
    {
        _extraClosures = [.. extraClosures ?? [new DateOnly(2025, 1, 9)]];
    }

    public static TradingCalendar Default { get; } = new();

    public bool IsSession(DateOnly date) =>
        date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)
        && !HolidaysOf(date.Year).Contains(date)
        && !_extraClosures.Contains(date);

    public bool IsHoliday(DateOnly date) => !IsSession(date) && date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    public DateOnly NextSession(DateOnly date)
    {
        var d = date.AddDays(1);
        while (!IsSession(d)) d = d.AddDays(1);
        return d;
    }

    public DateOnly PreviousSession(DateOnly date)
    {
        var d = date.AddDays(-1);
        while (!IsSession(d)) d = d.AddDays(-1);
        return d;
    }

    /// <summary>The latest session on or before <paramref name="date"/>.</summary>
    public DateOnly SessionOnOrBefore(DateOnly date) => IsSession(date) ? date : PreviousSession(date);

    /// <summary>Sessions in [from, to], inclusive.</summary>
    public IEnumerable<DateOnly> Sessions(DateOnly from, DateOnly to)
    {
        for (var d = from; d <= to; d = d.AddDays(1))
        {
            if (IsSession(d)) yield return d;
        }
    }

    /// <summary>The latest session whose 16:00 New York close is at or before <paramref name="utcNow"/>.</summary>
    public DateOnly LatestClosedSession(DateTimeOffset utcNow)
    {
        var today = NewYorkTime.DateOf(utcNow);
        if (IsSession(today) && NewYorkTime.CloseUtc(today) <= utcNow) return today;
        return PreviousSession(today);
    }

    public static DateOnly WeekStart(DateOnly date) => date.AddDays(-(((int)date.DayOfWeek + 6) % 7));

    public IReadOnlySet<DateOnly> HolidaysOf(int year)
    {
        lock (_gate)
        {
            if (!_holidaysByYear.TryGetValue(year, out var set))
            {
                set = [.. ComputeHolidays(year)];
                _holidaysByYear[year] = set;
            }

            return set;
        }
    }

    private static IEnumerable<DateOnly> ComputeHolidays(int year)
    {
        // New Year's Day: observed on Monday when it falls on Sunday; NYSE does not close on the
        // preceding Friday when 1 Jan is a Saturday (the year-end rule).
        var newYear = new DateOnly(year, 1, 1);
        if (newYear.DayOfWeek == DayOfWeek.Sunday) yield return newYear.AddDays(1);
        else if (newYear.DayOfWeek != DayOfWeek.Saturday) yield return newYear;

        yield return NthWeekday(year, 1, DayOfWeek.Monday, 3);   // Martin Luther King Jr. Day
        yield return NthWeekday(year, 2, DayOfWeek.Monday, 3);   // Washington's Birthday
        yield return EasterSunday(year).AddDays(-2);             // Good Friday
        yield return LastWeekday(year, 5, DayOfWeek.Monday);     // Memorial Day
        if (year >= 2022) yield return Observed(new DateOnly(year, 6, 19)); // Juneteenth
        yield return Observed(new DateOnly(year, 7, 4));         // Independence Day
        yield return NthWeekday(year, 9, DayOfWeek.Monday, 1);   // Labor Day
        yield return NthWeekday(year, 11, DayOfWeek.Thursday, 4); // Thanksgiving
        yield return Observed(new DateOnly(year, 12, 25));       // Christmas
    }

    private static DateOnly Observed(DateOnly date) => date.DayOfWeek switch
    {
        DayOfWeek.Saturday => date.AddDays(-1),
        DayOfWeek.Sunday => date.AddDays(1),
        _ => date,
    };

    private static DateOnly NthWeekday(int year, int month, DayOfWeek day, int n)
    {
        var first = new DateOnly(year, month, 1);
        var offset = ((int)day - (int)first.DayOfWeek + 7) % 7;
        return first.AddDays(offset + (7 * (n - 1)));
    }

    private static DateOnly LastWeekday(int year, int month, DayOfWeek day)
    {
        var last = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
        var offset = ((int)last.DayOfWeek - (int)day + 7) % 7;
        return last.AddDays(-offset);
    }

    /// <summary>Anonymous Gregorian algorithm (Meeus/Jones/Butcher).</summary>
    internal static DateOnly EasterSunday(int year)
    {
        var a = year % 19;
        var b = year / 100;
        var c = year % 100;
        var d = b / 4;
        var e = b % 4;
        var f = (b + 8) / 25;
        var g = (b - f + 1) / 3;
        var h = ((19 * a) + b - d - g + 15) % 30;
        var i = c / 4;
        var k = c % 4;
        var l = (32 + (2 * e) + (2 * i) - h - k) % 7;
        var m = (a + (11 * h) + (22 * l)) / 451;
        var month = (h + l - (7 * m) + 114) / 31;
        var day = ((h + l - (7 * m) + 114) % 31) + 1;
        return new DateOnly(year, month, day);
    }
}
