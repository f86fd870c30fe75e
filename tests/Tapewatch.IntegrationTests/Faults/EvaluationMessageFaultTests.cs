using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Core.Flows;
using Tapewatch.Infrastructure.Flows;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.IntegrationTests.Derivatives;
using Tapewatch.TestSupport;
using Tapewatch.Infrastructure.Ingestion;

namespace Tapewatch.IntegrationTests.Faults;

/// <summary>
/// At-least-once delivery gone wrong: the same evaluation requests delivered several times, out of order, some at once,
/// with a revision arriving in between — one history row per session, each equal to a clean evaluation of the final data,
/// and the latest session current.
/// </summary>
public sealed class EvaluationMessageFaultTests(AzuriteFixture azurite)
{
    // Wed 12 Nov 2025 15:00 UTC: 11 Nov has closed and is final.
    private static readonly DateTimeOffset Now = new(2025, 11, 12, 15, 0, 0, TimeSpan.Zero);

    private const string Csv = """
        date,IBIT,FBTC,Total
        2025-10-27,100.0,49.3,149.3
        2025-10-28,150.0,52.4,202.4
        2025-10-29,-400.0,-70.7,-470.7
        2025-10-30,-400.0,-88.4,-488.4
        2025-10-31,-150.0,-41.6,-191.6
        2025-11-03,-150.0,-36.5,-186.5
        2025-11-04,-500.0,-66.4,-566.4
        2025-11-05,-100.0,-37.0,-137.0
        2025-11-06,200.0,39.9,239.9
        2025-11-07,-500.0,-58.4,-558.4
        2025-11-10,1.0,0.2,1.2
        2025-11-11,500.0,24.0,524.0
        """;

    [Fact]
    public async Task Duplicated_reordered_and_concurrent_messages_leave_one_correct_row_per_session_and_the_latest_current()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var storage = await FaultStorage.StartAsync(azurite, ct);
        var listener = new CountingListener();
        var smtpPort = Foundation.LocalHostTests.FreePort();
        using var smtp = netDumbster.smtp.SimpleSmtpServer.Start(smtpPort);
        var email = new Dictionary<string, string?>
        {
            ["Tapewatch:Alerts:Email:Host"] = "127.0.0.1",
            ["Tapewatch:Alerts:Email:Port"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Tapewatch:Alerts:Email:Security"] = "None",
            ["Tapewatch:Alerts:Email:From"] = "tapewatch@localhost",
            ["Tapewatch:Alerts:Email:Recipients:0"] = "trader@localhost",
        };
        await using var sp = FaultServices.Build(storage.Process, new FixedNowTimeProvider(Now), settings: email, configure: s => s.AddSingleton<IEvaluationListener>(listener));
        var ingestion = sp.GetRequiredService<EtfFlowsIngestionService>();
        Assert.Equal(12, (await ingestion.ImportAsync(EtfFlowFile.Parse(Csv.Replace("\r", "", StringComparison.Ordinal), EtfFlowFileFormat.Csv, "file:v1.csv"), null, null, ct)).Run.Inserted);

        string Message(string? changedFrom, int minutesAgo) => new EvaluationRequest
        {
            Reason = "etf-flows",
            ChangedFrom = changedFrom is null ? null : DateOnly.Parse(changedFrom, System.Globalization.CultureInfo.InvariantCulture),
            RequestedUtc = Now.AddMinutes(-minutesAgo),
        }.ToJson();

        // Three distinct requests, each delivered three times, shuffled (seeded), delivered two at a time.
        var messages = new[] { Message("2025-10-27", 30), Message("2025-11-05", 20), Message(null, 10) }
            .SelectMany(m => Enumerable.Repeat(m, 3))
            .ToList();
        var random = new Random(11);
        messages = messages.OrderBy(_ => random.Next()).ToList();
        for (var i = 0; i < messages.Count; i += 2)
        {
            await Task.WhenAll(messages.Skip(i).Take(2).Select(m => HandleAsync(sp, m, ct)));
        }

        await AssertOneCorrectRowPerSessionAsync(sp, new DateOnly(2025, 10, 27), ct);

        // A revision of 10 Nov arrives; its request and a stale duplicate of an old one are delivered out of order.
        var revised = Csv.Replace("2025-11-10,1.0,0.2,1.2", "2025-11-10,201.0,0.2,201.2", StringComparison.Ordinal);
        var run = await ingestion.ImportAsync(EtfFlowFile.Parse(revised.Replace("\r", "", StringComparison.Ordinal), EtfFlowFileFormat.Csv, "file:v2.csv"), null, null, ct);
        Assert.Equal(1, run.Run.Updated);
        await Task.WhenAll(HandleAsync(sp, Message("2025-11-10", 0), ct), HandleAsync(sp, Message("2025-10-27", 30), ct));
        await HandleAsync(sp, Message("2025-11-05", 20), ct);

        var history = await AssertOneCorrectRowPerSessionAsync(sp, new DateOnly(2025, 10, 27), ct);
        Assert.Equal(201.2m, history.Single(e => e.AsOfSession == new DateOnly(2025, 11, 10)).SessionTotalUsdM);
        Assert.Equal(2, history[^1].Scenario(ScenarioKind.Rebuild).StreakLength); // 201.2 then 524: green streak 2 of 3

        // The real alert listener ran on every delivery that was not superseded, yet each notice reached the (real)
        // SMTP server once: duplicates, reordering and concurrency never send a second email.
        Assert.True(listener.Calls >= 1);
        var subjects = smtp.ReceivedEmail.Select(m => m.Subject).ToList();
        Assert.NotEmpty(subjects);
        Assert.Equal(subjects.Distinct(StringComparer.Ordinal).Count(), subjects.Count);
    }

    private static async Task HandleAsync(IServiceProvider sp, string message, CancellationToken ct)
    {
        await using var scope = sp.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<EvaluationService>().HandleMessageAsync(message, ct);
    }

    /// <summary>One history row per stored session from <paramref name="from"/>, each equal (fingerprint) to a fresh evaluation of the stored data; the latest is current.</summary>
    private static async Task<IReadOnlyList<RegimeEvaluation>> AssertOneCorrectRowPerSessionAsync(IServiceProvider sp, DateOnly from, CancellationToken ct)
    {
        var tables = sp.GetRequiredService<TapewatchStorage>();
        var rows = new List<TableEntity>();
        await foreach (var e in (await tables.TableAsync(TableNames.EvaluationHistory, ct)).QueryAsync<TableEntity>(cancellationToken: ct)) rows.Add(e);
        var sessions = await sp.GetRequiredService<EtfSessionStore>().GetRangeAsync(from, new DateOnly(2025, 11, 30), ct);
        Assert.Equal(sessions.Select(s => s.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)), rows.Select(r => r.RowKey).Order(StringComparer.Ordinal));

        var inputs = await sp.GetRequiredService<EvaluationInputsLoader>().LoadAsync(from, new DateOnly(2025, 11, 12), ct);
        var engine = sp.GetRequiredService<RegimeEngine>();
        var history = await sp.GetRequiredService<EvaluationStore>().GetHistoryAsync(from, new DateOnly(2025, 11, 30), ct);
        Assert.NotEmpty(sessions);
        Assert.Equal(sessions.Select(s => s.Date), history.Select(h => h.AsOfSession));
        foreach (var stored in history.Take(history.Count - 1))
        {
            Assert.Equal(EvaluationStore.Fingerprint(engine.Evaluate(inputs, stored.AsOfSession)), EvaluationStore.Fingerprint(stored));
        }

        var current = await sp.GetRequiredService<EvaluationStore>().GetCurrentAsync(ct);
        Assert.Equal(sessions[^1].Date, current!.Value.Evaluation.AsOfSession);
        Assert.Equal(EvaluationStore.Fingerprint(history[^1]), EvaluationStore.Fingerprint(current.Value.Evaluation));
        return history;
    }

    private sealed class CountingListener : IEvaluationListener
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task OnEvaluatedAsync(RegimeEvaluation evaluation, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return Task.CompletedTask;
        }
    }
}
