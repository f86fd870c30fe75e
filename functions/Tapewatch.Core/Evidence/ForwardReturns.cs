namespace Tapewatch.Core.Evidence;

/// <summary>Forward returns after a set of start sessions against every session of the period (the baseline).</summary>
public sealed record ForwardReturnEvidence
{
    public required int Horizon { get; init; }

    /// <summary>+1: the scenario expects BTC up (Rebuild, Snapback); −1: down (Caution).</summary>
    public required int Direction { get; init; }

    /// <summary>Starts with both closes (the start's and h sessions later).</summary>
    public required int Episodes { get; init; }

    public decimal? MeanPct { get; init; }

    public decimal? MedianPct { get; init; }

    /// <summary>Share of starts that moved in the scenario's direction, percent.</summary>
    public decimal? HitRatePct { get; init; }

    /// <summary>Bootstrap 90 % interval of the mean (5th and 95th percentile of resampled means).</summary>
    public decimal? MeanLow90Pct { get; init; }

    public decimal? MeanHigh90Pct { get; init; }

    /// <summary>
    /// Permutation p-value: the share of random sets of start sessions (same size, drawn from the period) whose mean
    /// return is at least as far in the scenario's direction as the episodes'. Small = unlikely by chance.
    /// </summary>
    public decimal? PermutationP { get; init; }

    public required int BaselineSessions { get; init; }

    public decimal? BaselineMeanPct { get; init; }

    public decimal? BaselineMedianPct { get; init; }

    public decimal? BaselineHitRatePct { get; init; }
}

/// <summary>
/// The arithmetic of forward returns, point in time: the return of a start at session k over h sessions is
/// close(k + h) ÷ close(k) − 1, k + h counted in the session list; nothing before k enters it.
/// Random draws (bootstrap, permutation) use a fixed seed, so the same history gives the same figures.
/// </summary>
public static class ForwardReturns
{
    public const int Resamples = 2000;

    public const int Seed = 20251111;

    /// <summary>Percent return from the close of <c>sessions[start]</c> to the close <paramref name="horizon"/> sessions later; null without both closes.</summary>
    public static decimal? Of(IReadOnlyList<DateOnly> sessions, int start, int horizon, IReadOnlyDictionary<DateOnly, decimal> closes)
    {
        if (start < 0 || start + horizon >= sessions.Count) return null;
        if (!closes.TryGetValue(sessions[start], out var c0) || c0 <= 0 || !closes.TryGetValue(sessions[start + horizon], out var c1)) return null;
        return ((c1 / c0) - 1) * 100m;
    }

    public static ForwardReturnEvidence Describe(int horizon, int direction, IReadOnlyList<decimal> episodes, IReadOnlyList<decimal> baseline)
    {
        var (low, high) = BootstrapMean(episodes, direction * 1000 + horizon);
        return new ForwardReturnEvidence
        {
            Horizon = horizon,
            Direction = direction,
            Episodes = episodes.Count,
            MeanPct = Round(Mean(episodes)),
            MedianPct = Round(Median(episodes)),
            HitRatePct = HitRate(episodes, direction),
            MeanLow90Pct = Round(low),
            MeanHigh90Pct = Round(high),
            PermutationP = PermutationP(episodes, baseline, direction, direction * 1000 + horizon),
            BaselineSessions = baseline.Count,
            BaselineMeanPct = Round(Mean(baseline)),
            BaselineMedianPct = Round(Median(baseline)),
            BaselineHitRatePct = HitRate(baseline, direction),
        };
    }

    public static decimal? Mean(IReadOnlyList<decimal> values) => values.Count == 0 ? null : values.Sum() / values.Count;

    public static decimal? Median(IReadOnlyList<decimal> values)
    {
        if (values.Count == 0) return null;
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>Share moving in the direction (a return of exactly 0 is not a hit), percent, 1 decimal.</summary>
    public static decimal? HitRate(IReadOnlyList<decimal> values, int direction) =>
        values.Count == 0 ? null : Math.Round(100m * values.Count(v => Math.Sign(v) == direction) / values.Count, 1);

    private static decimal? Round(decimal? value) => value is { } v ? Math.Round(v, 2) : null;

    private static (decimal? Low, decimal? High) BootstrapMean(IReadOnlyList<decimal> values, int salt)
    {
        if (values.Count < 2) return (null, null);
        var random = new Random(Seed + salt);
        var means = new decimal[Resamples];
        for (var r = 0; r < Resamples; r++)
        {
            var sum = 0m;
            for (var i = 0; i < values.Count; i++) sum += values[random.Next(values.Count)];
            means[r] = sum / values.Count;
        }

        Array.Sort(means);
        return (Percentile(means, 0.05), Percentile(means, 0.95));
    }

    private static decimal? PermutationP(IReadOnlyList<decimal> episodes, IReadOnlyList<decimal> baseline, int direction, int salt)
    {
        if (episodes.Count == 0 || baseline.Count <= episodes.Count) return null;
        var observed = episodes.Sum() / episodes.Count;
        var random = new Random(Seed + 7 + salt);
        var pool = baseline.ToArray();
        var atLeast = 0;
        for (var r = 0; r < Resamples; r++)
        {
            // A partial Fisher–Yates shuffle: the first n of the pool are a random set of n distinct sessions.
            var sum = 0m;
            for (var i = 0; i < episodes.Count; i++)
            {
                var j = random.Next(i, pool.Length);
                (pool[i], pool[j]) = (pool[j], pool[i]);
                sum += pool[i];
            }

            var mean = sum / episodes.Count;
            if ((direction > 0 && mean >= observed) || (direction < 0 && mean <= observed)) atLeast++;
        }

        return Math.Round((atLeast + 1m) / (Resamples + 1m), 3);
    }

    private static decimal Percentile(decimal[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        var weight = (decimal)(position - lower);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * weight);
    }
}
