using System.Text;
using Tapewatch.Core.Domain;
using Tapewatch.Core.Rules;
using Tapewatch.Core.Time;
using Tapewatch.Infrastructure.Dashboard;
using Tapewatch.Infrastructure.Dashboard.Templates;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.TestSupport;

namespace Tapewatch.Tests.Dashboard;

/// <summary>
/// The whole page, byte for byte, for a few models: the normal sample, a hostile one (markup, quotes and ampersands in every
/// text that came from a source, in the chart data, the asset path and the key) and two empty ones. The files in
/// <c>Golden/</c> were first written by the StringBuilder renderer the templates replaced, so the templates are held to
/// its output. After a deliberate change to the page, rewrite them with <c>TAPEWATCH_UPDATE_GOLDEN=1</c> and review the diff.
/// </summary>
public sealed class DashboardGoldenTests
{
    private const string Attack = "<script>alert(1)</script>";
    private const string Quotes = "\"'&";

    public static TheoryData<string> Names => ["normal", "hostile", "empty", "bare"];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Page_matches_its_golden_file(string name)
    {
        var html = await DashboardPage.RenderAsync(Model(name));
        var path = Path.Combine(TestPaths.RepoRoot, "tests", "Tapewatch.Tests", "Dashboard", "Golden", name + ".html");
        if (Environment.GetEnvironmentVariable("TAPEWATCH_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, html, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }

        Assert.True(File.Exists(path), $"{path} is missing: golden files are part of the repository.");
        var expected = File.ReadAllText(path, Encoding.UTF8);
        Assert.True(expected == html, FirstDifference(name, expected, html));
    }

    [Fact]
    public async Task Hostile_golden_page_carries_no_live_markup_from_the_model()
    {
        var html = await DashboardPage.RenderAsync(Model("hostile"));
        Assert.DoesNotContain(Attack, html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain(Quotes, html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("&quot;&#x27;&amp;", html, StringComparison.Ordinal);
        Assert.Contains("[\"\\u003C/script\\u003E\\u0022\\u0027\\u0026\",", html, StringComparison.Ordinal);
    }

    private static string FirstDifference(string name, string expected, string actual)
    {
        var want = expected.Split('\n');
        var got = actual.Split('\n');
        for (var i = 0; i < Math.Max(want.Length, got.Length); i++)
        {
            var w = i < want.Length ? want[i] : "<end of file>";
            var g = i < got.Length ? got[i] : "<end of file>";
            if (w != g) return $"Golden/{name}.html differs at line {i + 1}:\n  expected: {w}\n  actual:   {g}";
        }

        return $"Golden/{name}.html differs";
    }

    internal static DashboardModel Model(string name) => name switch
    {
        "normal" => DashboardPageTests.Model(DashboardSample.Normal, code: "k\"y&1", days: 30),
        "hostile" => Hostile(),
        "empty" => DashboardPageTests.Model(DashboardSample.Normal) with { Evaluation = null, LatestSession = null, Charts = EmptyCharts() },
        "bare" => DashboardPageTests.Model(DashboardSample.Normal) with
        {
            Evaluation = new RegimeEvaluation
            {
                AsOfSession = DashboardSample.AsOf,
                Provisional = false,
                Regime = Regime.Neutral,
                Headline = "",
                Scenarios = [],
                Signals = [],
                Freshness = [],
            },
            LatestSession = null,
            Charts = EmptyCharts(),
            WindowChoices = [],
        },
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private static DashboardModel Hostile()
    {
        var model = DashboardPageTests.Model(DashboardSample.Hostile, code: Quotes + Attack, days: 30);
        var e = model.Evaluation!;
        var scenarios = e.Scenarios.Select((s, i) => s with
        {
            Summary = "Summary " + Quotes + Attack,
            StreakUnknown = i == 1,
            EpisodeStart = i == 0 ? new DateOnly(2025, 11, 10) : null,
            Conditions = [.. s.Conditions.Select(c => c with
            {
                Id = c.Id + Quotes,
                Text = c.Text + " " + Attack,
                Observed = c.Observed is null ? null : c.Observed + Quotes,
                Threshold = c.Threshold + Attack,
                Source = c.Source is null ? null : Quotes + c.Source,
                UnknownReason = c.UnknownReason is null ? null : c.UnknownReason + Attack,
            })],
        }).ToList();
        var signals = e.Signals.Select(s => s with { Id = s.Id + Quotes, Text = s.Text + Attack, Observed = s.Observed is null ? null : Quotes + s.Observed }).ToList();
        var freshness = e.Freshness.Select(f => f with { Dataset = f.Dataset + Quotes, Note = f.Note is null ? null : f.Note + Quotes }).ToList();
        var latest = model.LatestSession!;
        var funds = new Dictionary<string, decimal?>(latest.Funds, StringComparer.Ordinal) { [Attack] = 12.5m, [Quotes] = null };
        var charts = model.Charts;
        var sessions = charts.Sessions.ToList();
        sessions[0] = "</script>" + Quotes;
        var regimes = charts.Regimes.ToList();
        regimes[^1] = Attack;
        var weeks = charts.Weeks.ToList();
        weeks[0] = Quotes + "<!--";
        return model with
        {
            Evaluation = e with { Headline = e.Headline + Quotes, Scenarios = scenarios, Signals = signals, Freshness = freshness },
            LatestSession = latest with { Funds = funds, Source = latest.Source + Quotes + Attack, Status = SessionStatus.Final },
            Charts = charts with { Sessions = sessions, Regimes = regimes, Weeks = weeks, DerivativesIllustrative = true },
            AssetBasePath = "/x" + Quotes + "<y>/",
        };
    }

    private static DashboardChartData EmptyCharts() => new()
    {
        Sessions = [],
        Flows = [],
        Provisional = [],
        Streak = [],
        Regimes = [],
        Basis = [],
        Funding = [],
        OffshoreOpenInterest = [],
        CmeOpenInterest = [],
        Weeks = [],
        WeeksUsEtf = [],
        WeeksPartial = [],
        WeeksCoinShares = [],
        Thresholds = new ChartThresholds
        {
            RebuildSessionMin = 200,
            SnapbackSessionMin = 750,
            RebuildStreak = 3,
            CautionStreak = 4,
            BasisCautionMax = 3,
            BasisRebuildMin = 8,
            BasisSnapbackMin = 12,
            FundingSubduedMax = 10,
            FundingRiskMin = 20,
        },
    };
}
