namespace Tapewatch.Core.Domain;

/// <summary>Money in the domain is US$ millions (<see cref="decimal"/>); stored and compared as whole USD (<see cref="long"/>).</summary>
public static class Money
{
    /// <summary>US$ millions (one or more decimals) → whole USD, rounded half away from zero.</summary>
    public static long UsdFromMillions(decimal millions) => (long)Math.Round(millions * 1_000_000m, MidpointRounding.AwayFromZero);

    public static decimal MillionsFromUsd(long usd) => usd / 1_000_000m;
}
