using Microsoft.Extensions.Options;
using Tapewatch.Core.Domain;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.Core.Time;
using Tapewatch.Infrastructure.Derivatives;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Infrastructure.Flows;
using Tapewatch.Infrastructure.Weekly;

namespace Tapewatch.Infrastructure.Dashboard;

/// <summary>Reads what the dashboard shows from storage: the current evaluation and the window's series.</summary>
public sealed class DashboardService(
    EvaluationStore evaluations,
    EtfSessionStore sessions,
    WeeklyFlowStore weeks,
    DerivativesDailyStore derivatives,
    TradingCalendar calendar,
    TimeProvider time,
    IOptions<DashboardOptions> options,
    DashboardEvidenceBuilder evidenceBuilder)
{
    public DashboardOptions Options => options.Value;

    /// <summary>
    /// The window ends at the later of the current evaluation's session and the latest stored session
    /// (so a stale evaluation never hides newer data), else at the latest closed session.
    /// </summary>
    public async Task<DashboardModel> LoadAsync(int days, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var current = await evaluations.GetCurrentAsync(cancellationToken).ConfigureAwait(false);
        var evaluation = current?.Evaluation;
        var latest = await sessions.GetLatestAsync(NewYorkTime.DateOf(now), cancellationToken).ConfigureAwait(false);

        var to = latest?.Date ?? evaluation?.AsOfSession ?? calendar.LatestClosedSession(now);
        if (evaluation is not null && evaluation.AsOfSession > to) to = evaluation.AsOfSession;
        var from = to.AddDays(-(days - 1));

        // Context before the window: the first week's ledger and streaks that began earlier.
        var weekStart = TradingCalendar.WeekStart(from);
        var contextFrom = weekStart < from.AddDays(-21) ? weekStart : from.AddDays(-21);

        var sessionList = await sessions.GetRangeAsync(contextFrom, to, cancellationToken).ConfigureAwait(false);
        var weekList = await weeks.GetRangeAsync(weekStart, TradingCalendar.WeekStart(to).AddDays(4), cancellationToken).ConfigureAwait(false);
        var derivativesList = await derivatives.GetRangeAsync(from, to, cancellationToken).ConfigureAwait(false);
        var history = await evaluations.GetHistoryAsync(from, to, cancellationToken).ConfigureAwait(false);

        var charts = DashboardChartBuilder.Build(from, to, calendar, options.Value, sessionList, weekList, derivativesList, history, evaluation);
        EtfSession? latestInWindow = sessionList.LastOrDefault(s => s.Date >= from);
        var evidence = await evidenceBuilder.BuildAsync(to, cancellationToken).ConfigureAwait(false);
        return new DashboardModel
        {
            From = from,
            To = to,
            Days = days,
            Evaluation = evaluation,
            LatestSession = latestInWindow,
            Charts = charts,
            Evidence = evidence,
            GeneratedUtc = now,
        };
    }
}
