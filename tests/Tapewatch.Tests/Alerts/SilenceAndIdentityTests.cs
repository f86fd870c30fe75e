using Tapewatch.Core.Alerts;
using static Tapewatch.Tests.Alerts.AlertTestData;

namespace Tapewatch.Tests.Alerts;

/// <summary>Silences (matchers, their text form, when they are active) and alert identities and labels.</summary>
public sealed class SilenceAndIdentityTests
{
    private static readonly DateTimeOffset Start = new(2025, 11, 3, 22, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = new(2025, 11, 5, 0, 0, 0, TimeSpan.Zero);

    private static SilenceMatcher Matcher(string text)
    {
        Assert.True(SilenceMatcher.TryParse(text, out var matcher, out var error), error);
        return matcher!;
    }

    private static Silence Silence(params string[] matchers) => new()
    {
        Id = "s1",
        Matchers = [.. matchers.Select(Matcher)],
        StartsUtc = Start,
        EndsUtc = End,
        Comment = "maintenance",
        CreatedUtc = Start,
    };

    [Fact]
    public void A_silence_is_active_from_its_start_up_to_but_not_including_its_end()
    {
        var s = Silence("scenario=Caution");
        Assert.Equal(("pending", false), (s.StatusAt(Start.AddTicks(-1)), s.IsActive(Start.AddTicks(-1))));
        Assert.Equal(("active", true), (s.StatusAt(Start), s.IsActive(Start)));
        Assert.Equal(("active", true), (s.StatusAt(End.AddTicks(-1)), s.IsActive(End.AddTicks(-1))));
        Assert.Equal(("expired", false), (s.StatusAt(End), s.IsActive(End)));
    }

    [Fact]
    public void A_silence_matches_when_every_matcher_matches_and_never_without_matchers()
    {
        var labels = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["scenario"] = "Caution", ["event"] = "Resolved" };
        Assert.True(Silence("scenario=Caution", "event=Resolved").Matches(labels));
        Assert.False(Silence("scenario=Caution", "event=Triggered").Matches(labels));
        Assert.False(Silence("scenario=Rebuild", "event=Resolved").Matches(labels));
        Assert.False(Silence().Matches(labels));
    }

    [Theory]
    [InlineData("scenario=Caution", MatchOperator.Equal, "scenario=Caution")]
    [InlineData("Scenario = \"Caution\"", MatchOperator.Equal, "scenario=Caution")]
    [InlineData("level!=Confirmed", MatchOperator.NotEqual, "level!=Confirmed")]
    [InlineData("event=~Resolved|Triggered", MatchOperator.Regex, "event=~Resolved|Triggered")]
    [InlineData("regime!~Neutral", MatchOperator.NotRegex, "regime!~Neutral")]
    [InlineData("dataset=", MatchOperator.Equal, "dataset=")]
    [InlineData("kind=DataStale", MatchOperator.Equal, "kind=DataStale")]
    public void Matchers_parse_and_print_back_the_same(string text, MatchOperator op, string printed)
    {
        var m = Matcher(text);
        Assert.Equal(op, m.Operator);
        Assert.Equal(printed, m.ToString());
        Assert.Equal(m, Matcher(m.ToString()));
    }

    [Fact]
    public void A_matcher_may_be_200_characters_long_but_no_longer()
    {
        var ok = "scenario=" + new string('a', 200 - 9);
        Assert.Equal(200, ok.Length);
        Assert.True(SilenceMatcher.TryParse(ok, out _, out _));
        Assert.False(SilenceMatcher.TryParse(ok + "a", out _, out var error));
        Assert.StartsWith("a matcher must be 'label=value'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_label_lists_the_known_ones()
    {
        Assert.False(SilenceMatcher.TryParse("colour=red", out var matcher, out var error));
        Assert.Null(matcher);
        Assert.Equal("unknown label 'colour' (labels: kind, scenario, dataset, level, event, regime)", error);
    }

    [Theory]
    [InlineData("scenario=~cau.*", "Caution", true)]   // regexes ignore case
    [InlineData("scenario=~Cau", "Caution", false)]    // and are anchored
    [InlineData("scenario!~cau.*", "Caution", false)]
    [InlineData("scenario!=CAUTION", "Caution", false)]
    public void Matchers_compare_case_insensitively(string text, string value, bool expected)
    {
        var labels = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["scenario"] = value };
        Assert.Equal(expected, Matcher(text).Matches(labels));
    }

    [Fact]
    public void A_regex_that_runs_away_does_not_match()
    {
        // Catastrophic backtracking: the 100 ms regex timeout ends it; a runaway regex never silences anything.
        var labels = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["scenario"] = new string('a', 40) + "!" };
        Assert.False(Matcher("scenario=~(a+)+b").Matches(labels));
        Assert.True(Matcher("scenario!~(a+)+b").Matches(labels));
    }

    [Theory]
    [InlineData(AlertKind.DataStale, "etf-flows", "Stale", "data-stale:etf-flows:stale:2025-11-03")]
    [InlineData(AlertKind.RegimeChange, "regime", "Reset", "regime-change:regime:reset:2025-11-03")]
    [InlineData(AlertKind.Scenario, "Caution", "Triggered", "scenario:caution:triggered:2025-11-03")]
    [InlineData(AlertKind.Scenario, "ETFLed", "Confirmed", "scenario:etfled:confirmed:2025-11-03")]
    [InlineData(AlertKind.Scenario, "weekly_flows x", "Triggered", "scenario:weekly-flows-x:triggered:2025-11-03")]
    public void Identities_are_lower_case_slugs_safe_in_table_keys(AlertKind kind, string subject, string level, string identity)
    {
        Assert.Equal(identity, AlertState.IdentityOf(kind, subject, level, D("2025-11-03")));
    }

    [Fact]
    public void Alert_states_carry_the_labels_silences_match()
    {
        var scenario = new AlertState { Kind = AlertKind.Scenario, Subject = "Caution", Level = "Triggered", EpisodeStart = D("2025-11-03"), Status = AlertStatus.Firing, LastSeenSession = D("2025-11-03") };
        Assert.Equal(
            new Dictionary<string, string> { ["kind"] = "Scenario", ["level"] = "Triggered", ["scenario"] = "Caution" },
            scenario.Labels().ToDictionary(kv => kv.Key, kv => kv.Value));
        var stale = scenario with { Kind = AlertKind.DataStale, Subject = "derivatives", Level = "Stale" };
        Assert.Equal(
            new Dictionary<string, string> { ["kind"] = "DataStale", ["level"] = "Stale", ["dataset"] = "derivatives" },
            stale.Labels().ToDictionary(kv => kv.Key, kv => kv.Value));
        Assert.Equal("stale", stale.Labels()["LEVEL"].ToLowerInvariant());
        Assert.Equal("scenario:caution:triggered:2025-11-03", scenario.Identity);
    }

    [Fact]
    public void Notices_carry_event_and_regime_labels_and_their_dataset_or_scenario()
    {
        var lifecycle = new LifecycleHarness(new AlertLifecycle(new AlertOptions(), Tapewatch.Core.Time.TradingCalendar.Default));
        var session = D("2025-11-03");
        var decision = lifecycle.Apply(Evaluation(session, scenarios: [Scenario(Tapewatch.Core.Rules.ScenarioKind.Caution, Tapewatch.Core.Rules.ScenarioStatus.Triggered, session)], staleDatasets: [Tapewatch.Core.Rules.Datasets.Derivatives]), Evening(session));
        var stale = decision.Notices.Single(n => n.AlertKind == AlertKind.DataStale);
        Assert.Equal(
            new Dictionary<string, string> { ["kind"] = "DataStale", ["level"] = "Stale", ["event"] = "DataStale", ["regime"] = "Neutral", ["dataset"] = "derivatives" },
            stale.Labels().ToDictionary(kv => kv.Key, kv => kv.Value));
        var triggered = decision.Notices.Single(n => n.AlertKind == AlertKind.Scenario);
        Assert.Equal(
            new Dictionary<string, string> { ["kind"] = "Scenario", ["level"] = "Triggered", ["event"] = "Triggered", ["regime"] = "Neutral", ["scenario"] = "Caution" },
            triggered.Labels().ToDictionary(kv => kv.Key, kv => kv.Value));
        Assert.Equal("Caution", triggered.Labels()["SCENARIO"]);
    }
}
