namespace Tapewatch.Core.Time;

/// <summary>US session dates are New York dates; everything else inside Tapewatch is UTC.</summary>
public static class NewYorkTime
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    public static readonly TimeOnly MarketClose = new(16, 0);

    public static DateTimeOffset ToNewYork(DateTimeOffset utc) => TimeZoneInfo.ConvertTime(utc, Zone);

    public static DateOnly DateOf(DateTimeOffset utc) => DateOnly.FromDateTime(ToNewYork(utc).DateTime);

    /// <summary>The UTC instant of the 16:00 New York close on <paramref name="session"/>.</summary>
    public static DateTimeOffset CloseUtc(DateOnly session)
    {
        var local = session.ToDateTime(MarketClose, DateTimeKind.Unspecified);
        var offset = Zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
