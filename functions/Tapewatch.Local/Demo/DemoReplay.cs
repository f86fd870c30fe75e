using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Tapewatch.Core.Domain;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Core.Flows;
using Tapewatch.Infrastructure.Flows;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.Core.Time;
using Tapewatch.Local.Hosting;
using Tapewatch.Infrastructure.Derivatives;
using Tapewatch.Infrastructure.Ingestion;
using Tapewatch.Infrastructure.Weekly;

namespace Tapewatch.Local.Demo;

/// <summary>
/// Replays the bundled sample session by session through the real pipeline: each evening's flows are imported
/// by the ETF ingestion service (tables, revision log, evaluation request on the queue), the queue is consumed
/// by the evaluator (history, current regime, alert lifecycle), with the demo clock set to that evening.
/// </summary>
internal sealed class DemoReplay(DemoClock clock)
{
    public const string SampleFile = "sample-etf-flows.csv";

    /// <summary>The CoinShares global week in the sample: week to Fri 7 Nov 2025, outflows of US$1.17bn, published Mon 10 Nov.</summary>
    public static readonly WeeklyFundFlow SampleWeek = new()
    {
        WeekEnding = new DateOnly(2025, 11, 7),
        PublishedOn = new DateOnly(2025, 11, 10),
        TotalUsd = -1_170_000_000,
        Source = "sample: CoinShares Digital Asset Fund Flows Weekly Report, 10 Nov 2025",
    };

    public static string SamplePath => Path.Combine(AppContext.BaseDirectory, "Demo", SampleFile);

    public async Task RunAsync(IServiceProvider services, TextWriter output, CancellationToken cancellationToken)
    {
        var fetch = await EtfFlowFile.ReadAsync(SamplePath, cancellationToken).ConfigureAwait(false);
        if (fetch.Outcome != SourceOutcome.Ok) throw new InvalidOperationException($"The bundled sample could not be read: {fetch}");
        var sessions = fetch.Rows.Where(r => r.IsSession).Select(r => r.Date).Order().ToList();
        output.WriteLine($"demo: replaying {sessions.Count} sessions of SAMPLE data ({sessions[0]:yyyy-MM-dd} … {sessions[^1]:yyyy-MM-dd}); derivatives are ILLUSTRATIVE");
        output.WriteLine();
        output.WriteLine("session      total(US$m)  regime        rebuild         caution         snapback");

        var ingestion = services.GetRequiredService<EtfFlowsIngestionService>();
        var worker = services.GetRequiredService<LocalQueueWorker>();
        var evaluations = services.GetRequiredService<EvaluationStore>();
        var weeklyDone = false;
        for (var i = 0; i < sessions.Count; i++)
        {
            var session = sessions[i];

            // The evening after the close, past the next day's cut-off: issuers have reported, sessions are final.
            clock.MoveTo(NewYorkTime.CloseUtc(session).AddHours(19));
            if (!weeklyDone && SampleWeek.PublishedOn <= session)
            {
                await StoreWeekAsync(services, cancellationToken).ConfigureAwait(false);
                weeklyDone = true;
            }

            await StoreIllustrativeDerivativesAsync(services, sessions, i, cancellationToken).ConfigureAwait(false);
            var result = await ingestion.ImportAsync(fetch, session, session, cancellationToken).ConfigureAwait(false);
            if (result.Run.Outcome != Tapewatch.Infrastructure.Ingestion.RunOutcome.Succeeded) output.WriteLine($"demo: {session:yyyy-MM-dd}: {LocalHost.Describe(result.Run)}");
            await worker.DrainAsync(cancellationToken).ConfigureAwait(false);

            var current = await evaluations.GetCurrentAsync(cancellationToken).ConfigureAwait(false);
            if (current is { } c) output.WriteLine(Line(c.Evaluation));
        }

        output.WriteLine();
        await LocalHost.PrintRegimeAsync(services, output, cancellationToken).ConfigureAwait(false);
    }

    private static string Line(RegimeEvaluation e)
    {
        static string S(ScenarioResult s) => $"{s.Status} {s.StreakLength}/{s.StreakTarget}";
        return string.Create(CultureInfo.InvariantCulture,
            $"{e.AsOfSession:yyyy-MM-dd}  {e.SessionTotalUsdM,11:+0.0;-0.0;0.0}  {e.Regime,-12}  {S(e.Scenario(ScenarioKind.Rebuild)),-14}  {S(e.Scenario(ScenarioKind.Caution)),-14}  {S(e.Scenario(ScenarioKind.Snapback))}");
    }

    private async Task StoreWeekAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var storage = services.GetRequiredService<TapewatchStorage>();
        var table = await storage.TableAsync(TableNames.WeeklyFlows, cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(WeeklyFlowStore.ToEntity(SampleWeek with { LastChangedUtc = clock.GetUtcNow() }), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        await services.GetRequiredService<EvaluationQueue>().EnqueueAsync(Datasets.WeeklyFlows, SampleWeek.PublishedOn, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Illustrative derivatives (NOT market data): basis and funding drifting lower, open interest bleeding.</summary>
    internal static DerivativesDaily IllustrativeReading(IReadOnlyList<DateOnly> sessions, int index, DateTimeOffset asOf)
    {
        static decimal Oi(int i) => Math.Round(310_000m * (1m - (0.004m * i)), 1);
        var session = sessions[index];
        var report = session.AddDays(-(((int)session.DayOfWeek - (int)DayOfWeek.Tuesday + 7) % 7));
        return new DerivativesDaily
        {
            Session = session,
            AsOfUtc = asOf,
            Basis3mAnnualizedPct = Math.Round(6.8m - (0.12m * index), 2),
            FundingAnnualizedPct = Math.Round(7.5m - (0.2m * index), 2),
            OffshoreOpenInterestBtc = Oi(index),
            OffshoreOpenInterestChange5SessionsPct = index >= 5 ? Math.Round(((Oi(index) / Oi(index - 5)) - 1m) * 100m, 2) : null,
            CmeOpenInterestBtc = 145_000m - (300m * index),
            CmeOpenInterestChangeBtc = -1_200m,
            CmeReportDate = report,
            Venues = ["illustrative sample"],
            Illustrative = true,
        };
    }

    private async Task StoreIllustrativeDerivativesAsync(IServiceProvider services, IReadOnlyList<DateOnly> sessions, int index, CancellationToken cancellationToken)
    {
        // Stamped as just read: the hourly job keeps refreshing the illustrative reading through the evening.
        var reading = IllustrativeReading(sessions, index, clock.GetUtcNow().AddMinutes(-30));
        var storage = services.GetRequiredService<TapewatchStorage>();
        var table = await storage.TableAsync(TableNames.DerivativesDaily, cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(DerivativesDailyStore.ToEntity(reading), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }
}
