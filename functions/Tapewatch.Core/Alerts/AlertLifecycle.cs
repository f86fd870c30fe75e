using System.Globalization;
using Tapewatch.Core.Rules;
using Tapewatch.Core.Time;

namespace Tapewatch.Core.Alerts;

/// <summary>
/// The alert lifecycle, modelled on Prometheus Alertmanager and pure: (evaluation, ledger, silences, now) in, decision out.
/// <list type="bullet">
/// <item>An alert (kind + subject + level + episode start) fires once per episode; while it fires, a later episode of the
/// same kind/subject/level continues it (no second notice); optional reminders every N sessions.</item>
/// <item>It resolves after <see cref="AlertOptions.ResolveAfterSessions"/> FINAL sessions without it; provisional data never
/// resolves anything, and a scenario alert whose inputs are stale is held (not resolved).</item>
/// <item>Provisional sessions wait for final data until the cut-off (or alert marked provisional, per <see cref="ProvisionalPolicy"/>).</item>
/// <item>DataStale (per dataset) inhibits the scenario alerts depending on that dataset: etf-flows → all scenario alerts and
/// regime changes; derivatives → confirmations; weekly-flows → Caution's confirmation (CoinShares).</item>
/// <item>Silences withhold matching notices while active; a firing alert withheld is announced once the silence expires
/// if it still fires.</item>
/// </list>
/// </summary>
public sealed class AlertLifecycle(AlertOptions options, TradingCalendar calendar)
{
    public const string StaleLevel = "Stale";
    public const string RegimeSubject = "regime";

    public AlertOptions Options => options;

    private TradingCalendar Calendar => calendar;

    public AlertDecision Decide(RegimeEvaluation evaluation, AlertLedger ledger, IReadOnlyList<Silence> silences, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        ArgumentNullException.ThrowIfNull(ledger);
        if (!options.Enabled) return new AlertDecision { Skipped = "alerts are disabled (Tapewatch:Alerts:Enabled=false)" };

        var session = evaluation.AsOfSession;
        var cursor = ledger.Cursor;
        if (cursor is not null && session < cursor.LastSession)
        {
            return new AlertDecision { Skipped = $"session {Date(session)} is older than the latest session alerted on ({Date(cursor.LastSession)})" };
        }

        if (options.MaxSessionAge > 0)
        {
            var latest = calendar.LatestClosedSession(now);
            var behind = session >= latest ? 0 : calendar.Sessions(session.AddDays(1), latest).Take(options.MaxSessionAge + 1).Count();
            if (behind > options.MaxSessionAge)
            {
                return new AlertDecision { Skipped = $"session {Date(session)} is {behind}+ sessions before the latest closed session {Date(latest)}: history raises no alerts (Tapewatch:Alerts:MaxSessionAge)" };
            }
        }

        var run = new Run(this, evaluation, ledger, silences, now);
        run.Execute();
        return run.Result();
    }

    /// <summary>UTC instant when waiting for final data stops for a provisional <paramref name="session"/>.</summary>
    public DateTimeOffset ProvisionalCutoffUtc(DateOnly session)
    {
        var local = calendar.NextSession(session).ToDateTime(options.ProvisionalCutoff, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, NewYorkTime.Zone.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>Datasets a notice of this alert depends on (its inhibitors when stale).</summary>
    public static IReadOnlyList<string> DependsOn(AlertKind kind, string subject, string level) => kind switch
    {
        AlertKind.Scenario when level == nameof(ScenarioStatus.Triggered) => [Datasets.EtfFlows],
        AlertKind.Scenario when subject == nameof(ScenarioKind.Caution) => [Datasets.EtfFlows, Datasets.Derivatives, Datasets.WeeklyFlows],
        AlertKind.Scenario => [Datasets.EtfFlows, Datasets.Derivatives],
        AlertKind.RegimeChange => [Datasets.EtfFlows],
        _ => [],
    };

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed record Desired(AlertKind Kind, string Subject, string Level, DateOnly EpisodeStart);

    private sealed class Run(AlertLifecycle owner, RegimeEvaluation evaluation, AlertLedger ledger, IReadOnlyList<Silence> silences, DateTimeOffset now)
    {
        private readonly AlertOptions _o = owner.Options;
        private readonly Dictionary<string, AlertState> _changed = new(StringComparer.Ordinal);
        private readonly List<AlertMessage> _notices = [];
        private readonly List<(string, string)> _withheld = [];
        private readonly SortedSet<string> _stale = new(StringComparer.Ordinal);
        private AlertCursor? _cursor;
        private bool _final;
        private bool _mayNotify;

        private DateOnly Session => evaluation.AsOfSession;

        public void Execute()
        {
            _final = !evaluation.Provisional;
            _mayNotify = _final || _o.Provisional switch
            {
                ProvisionalPolicy.Alert => true,
                ProvisionalPolicy.WaitUntilCutoff => now >= owner.ProvisionalCutoffUtc(Session),
                _ => false,
            };

            foreach (var f in evaluation.Freshness)
            {
                var age = now - f.LastUpdatedUtc;
                if (f.Stale || age > _o.StaleAfter(f.Dataset)) _stale.Add(f.Dataset);
            }

            var firing = ledger.Alerts.Where(a => a.Status == AlertStatus.Firing).ToList();
            var known = ledger.Alerts.Select(a => a.Identity).ToHashSet(StringComparer.Ordinal);
            var matched = new HashSet<string>(StringComparer.Ordinal);

            foreach (var d in DesiredAlerts(firing))
            {
                var existing = firing.FirstOrDefault(a => a.Kind == d.Kind && a.Subject == d.Subject && a.Level == d.Level);
                if (existing is not null)
                {
                    matched.Add(existing.Identity);
                    Continue(existing);
                }
                else if (!known.Contains(AlertState.IdentityOf(d.Kind, d.Subject, d.Level, d.EpisodeStart)))
                {
                    Start(d);
                }

                // else: this episode already fired and resolved; it fires once per episode.
            }

            var resolving = firing.Where(a => !matched.Contains(a.Identity)).ToList();
            foreach (var a in resolving) Absent(a, resolving);

            RegimeChange();

            var last = ledger.Cursor;
            var next = (last ?? new AlertCursor { LastSession = Session }) with { LastSession = last is null || Session > last.LastSession ? Session : last.LastSession };
            if (_regimeBaseline is { } baseline) next = next with { Regime = baseline.Regime, RegimeSession = baseline.Session };
            if (last is null || next != last) _cursor = next with { UpdatedUtc = now };
        }

        public AlertDecision Result() => new()
        {
            Changed = [.. _changed.Values],
            Cursor = _cursor,
            Notices = [.. _notices.OrderBy(n => n.AlertKind == AlertKind.DataStale ? 0 : 1)],
            Withheld = _withheld,
        };

        private (Regime Regime, DateOnly Session)? _regimeBaseline;

        private IEnumerable<Desired> DesiredAlerts(List<AlertState> firing)
        {
            foreach (var dataset in _stale) yield return new Desired(AlertKind.DataStale, dataset, StaleLevel, Session);
            foreach (var s in evaluation.Scenarios)
            {
                if (s.Status < ScenarioStatus.Triggered || s.EpisodeStart is null) continue;
                var start = s.EpisodeStart.Value;
                var name = s.Scenario.ToString();
                yield return new Desired(AlertKind.Scenario, name, nameof(ScenarioStatus.Triggered), start);

                // Once confirmed, the confirmation stands for the rest of the episode (a lapsing confirmation is damped).
                var confirmedFiring = firing.Any(a => a.Kind == AlertKind.Scenario && a.Subject == name && a.Level == nameof(ScenarioStatus.Confirmed));
                if (s.Status == ScenarioStatus.Confirmed || confirmedFiring)
                {
                    yield return new Desired(AlertKind.Scenario, name, nameof(ScenarioStatus.Confirmed), start);
                }
            }
        }

        private void Start(Desired d)
        {
            var state = new AlertState
            {
                Kind = d.Kind,
                Subject = d.Subject,
                Level = d.Level,
                EpisodeStart = d.EpisodeStart,
                Status = AlertStatus.Firing,
                LastSeenSession = Session,
                UpdatedUtc = now,
            };
            Put(TryFire(state));
        }

        private void Continue(AlertState existing)
        {
            var newSession = Session > existing.LastSeenSession;
            var state = existing with
            {
                LastSeenSession = newSession ? Session : existing.LastSeenSession,
                SessionsSinceNotified = existing.Notified && newSession ? existing.SessionsSinceNotified + 1 : existing.SessionsSinceNotified,
                AbsentFinalSessions = 0,
                LastAbsentSession = null,
            };
            if (!state.Notified)
            {
                state = TryFire(state);
            }
            else if (_o.RepeatEverySessions > 0 && (state.NotifiedSession ?? Session) < Session
                && owner.Calendar.Sessions(state.NotifiedSession!.Value.AddDays(1), Session).Take(_o.RepeatEverySessions).Count() >= _o.RepeatEverySessions)
            {
                var repeat = state.RepeatCount + 1;
                var message = Message(state, FiringKind(state), repeat);
                var reason = WithheldReason(state, message);
                if (reason is null)
                {
                    _notices.Add(message);
                    state = state with { RepeatCount = repeat, SessionsSinceNotified = 0, NotifiedSession = Session, Suppressed = null };
                }
                else
                {
                    _withheld.Add((message.NotificationId, reason));
                    state = state with { SessionsSinceNotified = 0, Suppressed = reason };
                }
            }

            if (state != existing) Put(state with { UpdatedUtc = now });
        }

        private AlertState TryFire(AlertState state)
        {
            var message = Message(state, FiringKind(state), 0);
            var reason = WithheldReason(state, message);
            if (reason is not null)
            {
                _withheld.Add((message.NotificationId, reason));
                return state.Suppressed == reason ? state : state with { Suppressed = reason };
            }

            _notices.Add(message);
            return state with
            {
                Notified = true,
                NotifiedProvisional = !_final,
                NotifiedSession = Session,
                SessionsSinceNotified = 0,
                Suppressed = null,
            };
        }

        private void Absent(AlertState alert, List<AlertState> resolving)
        {
            if (alert.Kind == AlertKind.DataStale)
            {
                Resolve(alert, coveredBy: null);
                return;
            }

            // Stale inputs make a scenario look absent: hold it rather than resolve on unknown data.
            var inhibitor = DependsOn(alert.Kind, alert.Subject, alert.Level).FirstOrDefault(_stale.Contains);
            if (inhibitor is not null || !_final) return;

            var absent = alert.LastAbsentSession == Session ? alert.AbsentFinalSessions : alert.AbsentFinalSessions + 1;
            if (absent >= _o.ResolveAfterSessions)
            {
                // Triggered and Confirmed of one scenario ending together: one resolved notice (the Confirmed one).
                var covering = alert.Level == nameof(ScenarioStatus.Triggered)
                    ? resolving.FirstOrDefault(r => r.Kind == AlertKind.Scenario && r.Subject == alert.Subject && r.Level == nameof(ScenarioStatus.Confirmed) && r.Notified)
                    : null;
                Resolve(alert with { AbsentFinalSessions = absent, LastAbsentSession = Session }, covering);
            }
            else if (absent != alert.AbsentFinalSessions)
            {
                Put(alert with { AbsentFinalSessions = absent, LastAbsentSession = Session, UpdatedUtc = now });
            }
        }

        private void Resolve(AlertState alert, AlertState? coveredBy)
        {
            var state = alert with { Status = AlertStatus.Resolved, ResolvedSession = Session, UpdatedUtc = now };
            if (alert.Notified)
            {
                var message = Message(alert, NotificationKind.Resolved, 0);
                var reason = coveredBy is not null ? $"covered by the resolved notice of {coveredBy.Identity}" : Silenced(message);
                if (reason is null) _notices.Add(message);
                else
                {
                    _withheld.Add((message.NotificationId, reason));
                    state = state with { Suppressed = reason };
                }
            }

            Put(state);
        }

        private void RegimeChange()
        {
            var previous = ledger.Cursor?.Regime;
            var current = evaluation.Regime;
            if (previous is null)
            {
                if (_final || _mayNotify) _regimeBaseline = (current, Session);
                return;
            }

            if (previous == current || !_o.RegimeChanges) return;
            if (!_mayNotify)
            {
                _withheld.Add(($"regime:{current}", $"waiting for final data for {Date(Session)}"));
                return;
            }

            var state = new AlertState
            {
                Kind = AlertKind.RegimeChange,
                Subject = RegimeSubject,
                Level = current.ToString(),
                EpisodeStart = Session,
                Status = AlertStatus.Resolved,
                ResolvedSession = Session,
                LastSeenSession = Session,
                PreviousRegime = previous.ToString(),
                UpdatedUtc = now,
            };
            var message = Message(state, NotificationKind.RegimeChange, 0);
            var inhibitor = DependsOn(state.Kind, state.Subject, state.Level).FirstOrDefault(_stale.Contains);
            if (inhibitor is not null)
            {
                // Not announced and the baseline kept: announced once the tape is fresh again if it still holds.
                _withheld.Add((message.NotificationId, $"inhibited: DataStale {inhibitor}"));
                return;
            }

            var reason = _notices.Any(n => n.Kind == NotificationKind.Triggered && n.Scenario == current.ToString())
                ? $"announced by the {current} triggered notice"
                : Silenced(message);
            if (reason is null)
            {
                _notices.Add(message);
                state = state with { Notified = true, NotifiedSession = Session, NotifiedProvisional = !_final };
            }
            else
            {
                _withheld.Add((message.NotificationId, reason));
                state = state with { Suppressed = reason };
            }

            _regimeBaseline = (current, Session);
            Put(state);
        }

        private string? WithheldReason(AlertState state, AlertMessage message)
        {
            if (state.Kind != AlertKind.DataStale)
            {
                var inhibitor = DependsOn(state.Kind, state.Subject, state.Level).FirstOrDefault(_stale.Contains);
                if (inhibitor is not null) return $"inhibited: DataStale {inhibitor}";
                if (!_mayNotify)
                {
                    return _o.Provisional == ProvisionalPolicy.WaitUntilCutoff
                        ? $"waiting for final data for {Date(Session)} (until {owner.ProvisionalCutoffUtc(Session):yyyy-MM-dd HH:mm}Z)"
                        : $"waiting for final data for {Date(Session)}";
                }
            }

            return Silenced(message);
        }

        private string? Silenced(AlertMessage message)
        {
            var labels = message.Labels();
            var silence = silences.FirstOrDefault(s => s.IsActive(now) && s.Matches(labels));
            return silence is null ? null : $"silenced by {silence.Id} until {silence.EndsUtc:yyyy-MM-dd HH:mm}Z";
        }

        private void Put(AlertState state) => _changed[state.Identity] = state;

        private static NotificationKind FiringKind(AlertState state) => state.Kind switch
        {
            AlertKind.DataStale => NotificationKind.DataStale,
            AlertKind.RegimeChange => NotificationKind.RegimeChange,
            _ when state.Level == nameof(ScenarioStatus.Confirmed) => NotificationKind.Confirmed,
            _ => NotificationKind.Triggered,
        };

        private AlertMessage Message(AlertState state, NotificationKind kind, int repeat)
        {
            var scenario = state.Kind == AlertKind.Scenario
                ? evaluation.Scenarios.FirstOrDefault(s => s.Scenario.ToString() == state.Subject)
                : null;
            var freshness = state.Kind == AlertKind.DataStale
                ? evaluation.Freshness.FirstOrDefault(f => f.Dataset == state.Subject)
                : null;
            var provisional = !_final && kind != NotificationKind.DataStale && !(kind == NotificationKind.Resolved && state.Kind == AlertKind.DataStale);

            var title = kind switch
            {
                NotificationKind.Triggered => $"{state.Subject} triggered",
                NotificationKind.Confirmed => $"{state.Subject} confirmed",
                NotificationKind.DataStale => $"Data stale: {state.Subject}",
                NotificationKind.RegimeChange => $"Regime changed: {state.PreviousRegime} → {state.Level}",
                _ when state.Kind == AlertKind.DataStale => $"Data fresh again: {state.Subject}",
                _ when state.Level == nameof(ScenarioStatus.Confirmed) => $"{state.Subject} resolved (was confirmed)",
                _ => $"{state.Subject} resolved",
            };
            if (state.Kind == AlertKind.Scenario) title += $" — episode from {Date(state.EpisodeStart)}";
            if (repeat > 0) title += $" (reminder {repeat})";
            if (provisional) title = "[provisional] " + title;

            string? detail = state.Kind switch
            {
                AlertKind.Scenario => scenario?.Summary is { Length: > 0 } summary ? summary : null,
                AlertKind.DataStale => StaleDetail(state.Subject, freshness, kind == NotificationKind.Resolved),
                _ => null,
            };

            var suffix = kind == NotificationKind.Resolved ? "resolved" : repeat > 0 ? "repeat-" + repeat.ToString(CultureInfo.InvariantCulture) : "firing";
            return new AlertMessage
            {
                NotificationId = state.Identity + ":" + suffix,
                AlertIdentity = state.Identity,
                Kind = kind,
                AlertKind = state.Kind,
                Scenario = state.Kind == AlertKind.Scenario ? state.Subject : null,
                Dataset = state.Kind == AlertKind.DataStale ? state.Subject : null,
                Level = state.Level,
                EpisodeStart = state.EpisodeStart,
                AsOfSession = Session,
                Provisional = provisional,
                Repeat = repeat,
                Regime = evaluation.Regime.ToString(),
                PreviousRegime = state.PreviousRegime,
                ScenarioStatus = scenario?.Status.ToString(),
                Streak = scenario is null ? null
                    : scenario.StreakUnknown ? "unknown (data gap)"
                    : $"{scenario.StreakLength.ToString(CultureInfo.InvariantCulture)} of {scenario.StreakTarget.ToString(CultureInfo.InvariantCulture)}",
                Title = title,
                Headline = evaluation.Headline,
                Detail = detail,
                Conditions = scenario?.Conditions.Select(ToCondition).ToList() ?? [],
                DashboardUrl = _o.DashboardUrl,
                CreatedUtc = now,
            };
        }

        private string StaleDetail(string dataset, DatasetFreshness? f, bool resolved)
        {
            var updated = f?.LastUpdatedUtc is { } u ? $"last updated {u:yyyy-MM-dd HH:mm}Z" : "never updated";
            var latest = f?.LatestAsOf is { } d ? $", latest data {Date(d)}" : "";
            var limit = _o.StaleAfter(dataset) is { } l ? $" (limit {l.TotalHours.ToString("0.#", CultureInfo.InvariantCulture)} h)" : "";
            var note = f?.Note is { Length: > 0 } n ? " " + n : "";
            return resolved ? $"{dataset} is fresh again: {updated}{latest}." : $"{dataset} is stale: {updated}{latest}{limit}.{note}";
        }

        private static AlertCondition ToCondition(ConditionResult c) => new()
        {
            Text = c.Text,
            Role = c.IsTrigger ? "trigger" : c.IsRiskFlag ? "risk" : "confirmation",
            Observed = c.Observed,
            Threshold = c.Threshold,
            Met = c.Met,
            AsOf = c.AsOf,
            Source = c.Source is null ? c.Dataset : c.Dataset is null ? c.Source : $"{c.Dataset} ({c.Source})",
            UnknownReason = c.UnknownReason,
        };
    }
}
