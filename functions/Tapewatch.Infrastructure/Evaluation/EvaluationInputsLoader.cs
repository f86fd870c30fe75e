using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.Infrastructure.Derivatives;
using Tapewatch.Infrastructure.Flows;
using Tapewatch.Infrastructure.Weekly;

namespace Tapewatch.Infrastructure.Evaluation;

/// <summary>Loads what the engine needs for as-of sessions in [from, to] (with enough history before <c>from</c> for streaks and weeks).</summary>
public sealed class EvaluationInputsLoader(EtfSessionStore sessions, WeeklyFlowStore weeks, DerivativesDailyStore derivatives)
{
    /// <summary>Calendar days loaded before the earliest as-of session (streaks, previous weeks, derivatives baselines).</summary>
    public const int LookbackDays = 120;

    public async Task<RuleInputs> LoadAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var start = from.AddDays(-LookbackDays);
        var sessionTask = sessions.GetRangeAsync(start, to, cancellationToken);
        var weekTask = weeks.GetRangeAsync(start.AddDays(-30), to, cancellationToken);
        var derivativesTask = derivatives.GetRangeAsync(start, to, cancellationToken);
        await Task.WhenAll(sessionTask, weekTask, derivativesTask).ConfigureAwait(false);
        return new RuleInputs(await sessionTask.ConfigureAwait(false), await weekTask.ConfigureAwait(false), await derivativesTask.ConfigureAwait(false), coverageStart: start);
    }
}
