namespace Tapewatch.Core.Derivatives;

/// <summary>
/// What a venue can mean: a value outside these bounds is a broken answer, rejected with a note before it enters any
/// arithmetic (an open interest of 1e-28 BTC turned a division into an overflow; a price of 7.9e28 does the same to a
/// product). The bounds are far wider than any real market, so they never reject real data.
/// </summary>
public static class VenueBounds
{
    /// <summary>BTC in USD.</summary>
    public const decimal MinPriceUsd = 1m;

    public const decimal MaxPriceUsd = 100_000_000m;

    /// <summary>All the bitcoin there will ever be.</summary>
    public const decimal MaxOpenInterestBtc = 21_000_000m;

    public const decimal MaxOpenInterestUsd = MaxOpenInterestBtc * MaxPriceUsd;

    /// <summary>A 3-month basis, annualised percent.</summary>
    public const decimal MaxAbsBasisPct = 1_000m;

    /// <summary>A funding rate as a venue states it, per its own period (1 = 100 %); the 8-hour rate has its own configured limit.</summary>
    public const decimal MaxAbsFundingRatePerPeriod = 1m;

    /// <summary>The time of a venue's data: from Bitcoin's first block to well beyond any clock we will run on.</summary>
    public static readonly DateTimeOffset MinTimeUtc = new(2009, 1, 3, 0, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset MaxTimeUtc = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static bool IsTime(DateTimeOffset value) => value >= MinTimeUtc && value < MaxTimeUtc;

    public static bool IsPrice(decimal value) => value is >= MinPriceUsd and <= MaxPriceUsd;

    public static bool IsOpenInterestBtc(decimal value) => value is >= 0 and <= MaxOpenInterestBtc;

    public static bool IsOpenInterestUsd(decimal value) => value is >= 0 and <= MaxOpenInterestUsd;

    public static bool IsBasisPct(decimal value) => Math.Abs(value) <= MaxAbsBasisPct;

    public static bool IsFundingRatePerPeriod(decimal value) => Math.Abs(value) <= MaxAbsFundingRatePerPeriod;
}

/// <summary>Arithmetic on values read from outside: null where decimal would overflow or divide by zero, never an exception.</summary>
public static class DecimalMath
{
    public static decimal? Multiply(decimal a, decimal b)
    {
        try
        {
            return a * b;
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    public static decimal? Divide(decimal a, decimal b)
    {
        if (b == 0) return null;
        try
        {
            return a / b;
        }
        catch (OverflowException)
        {
            return null;
        }
    }
}
