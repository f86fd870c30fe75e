using Tapewatch.Core.Evidence;
using Tapewatch.Core.Rules;

namespace Tapewatch.Infrastructure.Evidence;

/// <summary>Stored inputs completed by the history: what the backtest and the dashboard's evidence replay.</summary>
public static class HistoryInputs
{
    public const string StoredClosesSource = "stored 16:00 New York closes";

    /// <summary>
    /// Stored readings (16:00 New York closes, composite funding) win over the history where both exist; the history's
    /// funding and closes fill the sessions without a stored reading. With <paramref name="keepHistoryCloses"/> (a
    /// closes file given by the user) the stored closes do not replace the history's.
    /// </summary>
    public static (RuleInputs Inputs, BtcHistory History) Combine(RuleInputs stored, BtcHistory history, bool keepHistoryCloses = false)
    {
        if (!keepHistoryCloses)
        {
            history = history.WithCloses(stored.Derivatives.Where(d => d.BtcCloseUsd is > 0).ToDictionary(d => d.Session, d => d.BtcCloseUsd!.Value), StoredClosesSource);
        }

        var withReading = stored.Derivatives.Select(d => d.Session).ToHashSet();
        var historical = HistoricalReadings.For(stored.SessionDates.Where(d => !withReading.Contains(d)), history);
        var inputs = new RuleInputs(stored.SessionDates.Select(d => stored.Session(d)!), stored.Weeks, historical.Concat(stored.Derivatives), stored.CoverageStart);
        return (inputs, history);
    }
}
