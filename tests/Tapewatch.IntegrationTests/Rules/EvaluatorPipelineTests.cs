using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Tapewatch.Infrastructure;
using Tapewatch.Core.Domain;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Local.Hosting;
using Tapewatch.Infrastructure.Hosting;
using Tapewatch.Core.Rules;
using Tapewatch.Infrastructure.Api;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.Functions.Triggers;
using Tapewatch.TestSupport;
using Tapewatch.Infrastructure.Flows;
using Tapewatch.Infrastructure.Ingestion;
using Tapewatch.Infrastructure.Weekly;
using Tapewatch.Infrastructure.Derivatives;

namespace Tapewatch.IntegrationTests.Rules;

/// <summary>
/// Ingest (sessions + a CoinShares week written as the ingestion does) → queue → evaluator function → GET
/// /api/regime, against a private Azurite per test (the Evaluations/current row is global, so tests must not share it).
/// </summary>
public sealed class EvaluatorPipelineTests(AzuriteFixture azurite)
{
    // Wed 12 Nov 2025 02:00 UTC = Tue 11 Nov 21:00 New York: 11 Nov has closed.
    private static readonly DateTimeOffset Now = new(2025, 11, 12, 2, 0, 0, TimeSpan.Zero);

    private static readonly (string Date, decimal Total)[] Flows =
    [
        ("2025-10-20", -40.4m), ("2025-10-21", 477.2m), ("2025-10-22", -101.4m), ("2025-10-23", 20.3m), ("2025-10-24", 90.6m),
        ("2025-10-27", 149.3m), ("2025-10-28", 202.4m), ("2025-10-29", -470.7m), ("2025-10-30", -488.4m), ("2025-10-31", -191.6m),
        ("2025-11-03", -186.5m), ("2025-11-04", -566.4m), ("2025-11-05", -137.0m), ("2025-11-06", 239.9m), ("2025-11-07", -558.4m),
        ("2025-11-10", 1.2m), ("2025-11-11", 524.0m),
    ];

    [Fact]
    public async Task Ingest_queue_evaluator_and_GET_regime_return_the_regime_with_its_evidence_and_a_duplicate_leaves_one_row_per_session()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await Env.StartAsync(azurite, ct);
        await env.SeedAsync(ct);

        await env.Services.GetRequiredService<EvaluationQueue>().EnqueueAsync(Datasets.EtfFlows, new DateOnly(2025, 11, 3), ct);
        var queue = await env.Services.GetRequiredService<EvaluationQueue>().ClientAsync(ct);
        var message = (await queue.ReceiveMessageAsync(cancellationToken: ct)).Value;
        Assert.NotNull(message);

        // Deliver the same message twice (at-least-once).
        await env.RunEvaluatorAsync(message.Body.ToString(), ct);
        await env.RunEvaluatorAsync(message.Body.ToString(), ct);

        var (status, body) = await env.GetAsync<RegimeEndpoint>("", ct);
        Assert.Equal(200, status);
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        Assert.Equal("2025-11-11", root.GetProperty("asOfSession").GetString());
        Assert.Equal("Reset", root.GetProperty("regime").GetString());
        Assert.Equal(524.0m, root.GetProperty("sessionTotalUsdM").GetDecimal());
        Assert.Contains("Rebuild not triggered (green streak 1 of 3)", root.GetProperty("headline").GetString(), StringComparison.Ordinal);
        var rebuild = root.GetProperty("scenarios").EnumerateArray().Single(s => s.GetProperty("scenario").GetString() == "Rebuild");
        Assert.Equal("Building", rebuild.GetProperty("status").GetString());
        Assert.Equal(1, rebuild.GetProperty("streakLength").GetInt32());
        var conditions = root.GetProperty("scenarios").EnumerateArray().SelectMany(s => s.GetProperty("conditions").EnumerateArray()).ToList();
        var coinShares = conditions.Single(c => c.GetProperty("id").GetString() == "caution.confirm.coinshares");
        Assert.True(coinShares.GetProperty("met").GetBoolean());
        Assert.Equal(-1170m, coinShares.GetProperty("observedValue").GetDecimal());
        Assert.Equal("2025-11-07", coinShares.GetProperty("asOf").GetString());
        Assert.Equal("coinshares", coinShares.GetProperty("source").GetString());
        var basis = conditions.First(c => c.GetProperty("id").GetString() == "caution.confirm.basis");
        Assert.False(basis.TryGetProperty("met", out _)); // unknown: null is omitted
        Assert.True(basis.TryGetProperty("unknownReason", out _));
        Assert.True(root.GetProperty("signals").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "etf-led").GetProperty("active").GetBoolean());

        // One history row per session 3–11 Nov (7 sessions), even though the message ran twice.
        var history = env.Tables.GetTableClient(TableNames.EvaluationHistory);
        var rows = new List<TableEntity>();
        await foreach (var e in history.QueryAsync<TableEntity>(cancellationToken: ct)) rows.Add(e);
        Assert.Equal(7, rows.Count);
        Assert.Equal(rows.Count, rows.Select(r => r.RowKey).Distinct().Count());
        Assert.Equal("Caution", rows.Single(r => r.RowKey == "2025-11-03").GetString("Regime"));
        Assert.Equal("Stabilizing", rows.Single(r => r.RowKey == "2025-11-06").GetString("Regime"));

        var (historyStatus, historyBody) = await env.GetAsync<RegimeHistoryEndpoint>("?from=2025-11-01&to=2025-11-11", ct);
        Assert.Equal(200, historyStatus);
        using var historyDoc = JsonDocument.Parse(historyBody);
        var evaluations = historyDoc.RootElement.GetProperty("evaluations").EnumerateArray().ToList();
        Assert.Equal(7, evaluations.Count);
        Assert.Equal("Triggered", evaluations[0].GetProperty("scenarios").GetProperty("caution").GetProperty("status").GetString());

        var (flowsStatus, flowsBody) = await env.GetAsync<FlowsEndpoint>("?from=2025-11-03&to=2025-11-07", ct);
        Assert.Equal(200, flowsStatus);
        using var flowsDoc = JsonDocument.Parse(flowsBody);
        var sessions = flowsDoc.RootElement.GetProperty("sessions").EnumerateArray().ToList();
        Assert.Equal(5, sessions.Count);
        Assert.Equal(-566.4m, sessions[1].GetProperty("totalUsdM").GetDecimal());

        // The listener saw the current evaluation on each delivery (listeners are idempotent by contract).
        Assert.Equal(2, env.Listener.Seen.Count);
        Assert.All(env.Listener.Seen, e => Assert.Equal(new DateOnly(2025, 11, 11), e.AsOfSession));
    }

    /// <summary>
    /// What the endpoints answer on real stored data (sessions, a CoinShares week, a derivatives reading, the evaluation, a
    /// silence) is what the OpenAPI document declares: every member declared, with its type, and every required one present.
    /// </summary>
    [Fact]
    public async Task Every_JSON_answer_conforms_to_the_OpenAPI_document()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await Env.StartAsync(azurite, ct);
        await env.SeedAsync(ct);
        await env.Services.GetRequiredService<DerivativesDailyStore>().TryAddAsync(
            new DerivativesDaily
            {
                Session = new DateOnly(2025, 11, 11),
                AsOfUtc = Now.AddHours(-4),
                Basis3mAnnualizedPct = 5.2m,
                FundingAnnualizedPct = 4.1m,
                OffshoreOpenInterestBtc = 310_000m,
                CmeReportDate = new DateOnly(2025, 11, 4),
                Venues = ["binance", "okx"],
            },
            ct);
        await env.RunEvaluatorAsync(new EvaluationRequest { Reason = "etf-flows", ChangedFrom = new DateOnly(2025, 11, 3), RequestedUtc = Now }.ToJson(), ct);
        var document = OpenApiEndpoint.Build(env.Services.GetServices<ApiEndpointRegistration>());

        var answers = new List<(string Method, string Route, int Status, string Body)>
        {
            await env.SendAsync<RegimeEndpoint>("GET", ApiRoutes.Regime.Route, "", null, ct),
            await env.SendAsync<RegimeHistoryEndpoint>("GET", ApiRoutes.RegimeHistory.Route, "?from=2025-11-01&to=2025-11-11", null, ct),
            await env.SendAsync<FlowsEndpoint>("GET", ApiRoutes.Flows.Route, "?from=2025-11-03&to=2025-11-11", null, ct),
            await env.SendAsync<WeeklyFundFlowsEndpoint>("GET", ApiRoutes.WeeklyFundFlowsGet.Route, "?from=2025-10-01&to=2025-11-11", null, ct),
            await env.SendAsync<DerivativesEndpoint>("GET", ApiRoutes.DerivativesGet.Route, "?from=2025-11-01&to=2025-11-11", null, ct),
            await env.SendAsync<HealthEndpoint>("GET", ApiRoutes.Health.Route, "", null, ct),
            await env.SendAsync<SilenceCreateEndpoint>("POST", ApiRoutes.SilenceCreate.Route, "", """{"matchers":["scenario=Caution"],"duration":"3d","comment":"conformance"}""", ct),
            await env.SendAsync<SilenceListEndpoint>("GET", ApiRoutes.SilenceList.Route, "", null, ct),
            await env.SendAsync<EvaluationsEndpoint>("POST", ApiRoutes.EvaluationsPost.Route, "", """{"changedFrom":"2025-11-03"}""", ct),
        };

        Assert.All(answers, a =>
        {
            Assert.True(a.Status is >= 200 and < 300, $"{a.Method} /api/{a.Route}: {a.Status} {a.Body}");
            var problems = OpenApiConformance.Check(document, OpenApiConformance.ResponseSchema(document, a.Method, a.Route, a.Status), System.Text.Json.Nodes.JsonNode.Parse(a.Body));
            Assert.True(problems.Count == 0, $"{a.Method} /api/{a.Route}:\n" + string.Join("\n", problems));
        });
        Assert.Contains("\"readings\":[{", answers[4].Body, StringComparison.Ordinal); // the seeded reading was served (not an empty list)
        Assert.Contains("\"silences\":[{", answers[7].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_message_fails_clearly_and_writes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await Env.StartAsync(azurite, ct);
        await env.SeedAsync(ct);

        var ex = await Assert.ThrowsAsync<FormatException>(() => env.RunEvaluatorAsync("{\"changedFrom\":\"yesterday\"", ct));
        Assert.Contains("not valid JSON", ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<FormatException>(() => env.RunEvaluatorAsync("{\"changedFrom\":\"2025-11-03\"}", ct)); // reason missing

        var (status, body) = await env.GetAsync<RegimeEndpoint>("", ct);
        Assert.Equal(404, status);
        Assert.Contains("No evaluation", body, StringComparison.Ordinal);
        Assert.Empty(env.Listener.Seen);
    }

    [Fact]
    public async Task Concurrent_and_out_of_order_evaluations_keep_the_latest_session_current_and_one_row_per_session()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await Env.StartAsync(azurite, ct);
        await env.SeedAsync(ct);
        var request = new EvaluationRequest { Reason = "etf-flows", ChangedFrom = new DateOnly(2025, 11, 5), RequestedUtc = Now }.ToJson();

        await Task.WhenAll(env.RunEvaluatorAsync(request, ct), env.RunEvaluatorAsync(request, ct), env.RunEvaluatorAsync(request, ct));

        // An older, late evaluation (as of 7 Nov) must not replace the current one.
        using (var scope = env.Services.CreateScope())
        {
            var outcome = await scope.ServiceProvider.GetRequiredService<EvaluationService>().EvaluateAsync(new DateOnly(2025, 11, 7), null, "manual", ct);
            Assert.Equal(SaveOutcome.Superseded, outcome.Current);
        }

        var current = await env.Services.GetRequiredService<EvaluationStore>().GetCurrentAsync(ct);
        Assert.Equal(new DateOnly(2025, 11, 11), current!.Value.Evaluation.AsOfSession);
        var rows = new List<TableEntity>();
        await foreach (var e in env.Tables.GetTableClient(TableNames.EvaluationHistory).QueryAsync<TableEntity>(cancellationToken: ct)) rows.Add(e);
        Assert.Equal(["2025-11-05", "2025-11-06", "2025-11-07", "2025-11-10", "2025-11-11"], rows.Select(r => r.RowKey).Order().ToArray());

        // A revision of 10 Nov (newer data) re-evaluates it: its history row is updated, still one row.
        var revised = Session("2025-11-10", 260m) with { LastChangedUtc = Now.AddMinutes(5), Revision = 1 };
        await env.Tables.GetTableClient(TableNames.EtfSessions).UpsertEntityAsync(EtfSessionStore.ToEntity(revised), TableUpdateMode.Replace, ct);
        env.Time.Advance(TimeSpan.FromMinutes(10));
        await env.RunEvaluatorAsync(new EvaluationRequest { Reason = "etf-flows", ChangedFrom = new DateOnly(2025, 11, 10), RequestedUtc = Now }.ToJson(), ct);
        var history = await env.Services.GetRequiredService<EvaluationStore>().GetHistoryAsync(new DateOnly(2025, 11, 10), new DateOnly(2025, 11, 11), ct);
        Assert.Equal(2, history.Count);
        Assert.Equal(260m, history[0].SessionTotalUsdM);
        Assert.Equal(2, history[1].Scenario(ScenarioKind.Rebuild).StreakLength); // 260 then 524: green streak 2 of 3
    }

    [Fact]
    public async Task A_listener_failure_propagates_so_the_queue_retries()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await Env.StartAsync(azurite, ct);
        await env.SeedAsync(ct);
        env.Listener.FailNext = true;
        var request = new EvaluationRequest { Reason = "etf-flows", RequestedUtc = Now }.ToJson();

        await Assert.ThrowsAsync<InvalidOperationException>(() => env.RunEvaluatorAsync(request, ct));
        await env.RunEvaluatorAsync(request, ct); // the retry: the evaluation is unchanged, the listener runs again
        Assert.Single(env.Listener.Seen);
    }

    private static EtfSession Session(string date, decimal total) => new()
    {
        Date = DateOnly.ParseExact(date, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        Funds = new Dictionary<string, decimal?> { ["IBIT"] = total, ["FBTC"] = 0m },
        TotalUsdM = total,
        Status = SessionStatus.Final,
        Source = "farside",
        FirstSeenUtc = Now.AddDays(-1),
        LastChangedUtc = Now.AddDays(-1),
    };

    internal sealed class RecordingListener : IEvaluationListener
    {
        public List<RegimeEvaluation> Seen { get; } = [];

        public bool FailNext { get; set; }

        public Task OnEvaluatedAsync(RegimeEvaluation evaluation, CancellationToken cancellationToken)
        {
            if (FailNext)
            {
                FailNext = false;
                throw new InvalidOperationException("channel down");
            }

            lock (Seen) Seen.Add(evaluation);
            return Task.CompletedTask;
        }
    }

    private sealed class Env : IAsyncDisposable
    {
        private Env(AzuriteProcess process, ServiceProvider services, FakeTimeProvider time, RecordingListener listener)
        {
            Process = process;
            Services = services;
            Time = time;
            Listener = listener;
            Tables = new TableServiceClient(process.ConnectionString);
        }

        public AzuriteProcess Process { get; }

        public ServiceProvider Services { get; }

        public FakeTimeProvider Time { get; }

        public RecordingListener Listener { get; }

        public TableServiceClient Tables { get; }

        public static async Task<Env> StartAsync(AzuriteFixture shared, CancellationToken ct)
        {
            shared.Require(); // skips (or fails under CI) when Azurite cannot run
            var process = await AzuriteProcess.StartAsync(searchFrom: TestPaths.RepoRoot, timeout: TimeSpan.FromSeconds(60), cancellationToken: ct);
            var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Tapewatch:Storage:ConnectionString"] = process.ConnectionString,
                [AppSettingNames.EvaluationQueueName] = "evaluations-test",
            }).Build();
            var time = new FakeTimeProvider(Now);
            var listener = new RecordingListener();
            var services = new ServiceCollection()
                .AddSingleton<IConfiguration>(config)
                .AddLogging()
                .AddSingleton<TimeProvider>(time)
                .AddSingleton<IEvaluationListener>(listener);
            services.AddTapewatchApp(config);
            return new Env(process, services.BuildServiceProvider(), time, listener);
        }

        public async Task SeedAsync(CancellationToken ct)
        {
            var sessions = await Services.GetRequiredService<TapewatchStorage>().TableAsync(TableNames.EtfSessions, ct);
            foreach (var (date, total) in Flows) await sessions.UpsertEntityAsync(EtfSessionStore.ToEntity(Session(date, total)), TableUpdateMode.Replace, ct);
            var weeks = await Services.GetRequiredService<TapewatchStorage>().TableAsync(TableNames.WeeklyFlows, ct);
            var week = new WeeklyFundFlow
            {
                WeekEnding = new DateOnly(2025, 11, 7),
                PublishedOn = new DateOnly(2025, 11, 10),
                TotalUsd = -1_170_000_000L,
                Assets = new Dictionary<string, long> { ["Bitcoin"] = -946_000_000L },
                Source = "coinshares",
                LastChangedUtc = Now.AddDays(-1),
            };
            await weeks.UpsertEntityAsync(WeeklyFlowStore.ToEntity(week), TableUpdateMode.Replace, ct);
        }

        /// <summary>Runs the Functions queue-trigger class on a message, as the host would (one scope per invocation).</summary>
        public async Task RunEvaluatorAsync(string message, CancellationToken ct)
        {
            await using var scope = Services.CreateAsyncScope();
            await new EvaluatorFunction(scope.ServiceProvider.GetRequiredService<EvaluationService>()).Run(message, ct);
        }

        public async Task<(int Status, string Body)> GetAsync<TEndpoint>(string query, CancellationToken ct)
            where TEndpoint : Tapewatch.Infrastructure.Api.IApiEndpoint
        {
            var (_, _, status, body) = await SendAsync<TEndpoint>("GET", "", query, null, ct);
            return (status, body);
        }

        public async Task<(string Method, string Route, int Status, string Body)> SendAsync<TEndpoint>(string method, string route, string query, string? json, CancellationToken ct)
            where TEndpoint : Tapewatch.Infrastructure.Api.IApiEndpoint
        {
            await using var scope = Services.CreateAsyncScope();
            var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
            context.Request.Method = method;
            context.Request.QueryString = new QueryString(query.Length == 0 ? null : query);
            if (json is not null)
            {
                var bytes = System.Text.Encoding.UTF8.GetBytes(json);
                context.Request.ContentType = "application/json";
                context.Request.ContentLength = bytes.Length;
                context.Request.Body = new MemoryStream(bytes);
            }

            context.Response.Body = new MemoryStream();
            var result = await scope.ServiceProvider.GetRequiredService<TEndpoint>().HandleAsync(context.Request, ct);
            await result.ExecuteAsync(context);
            context.Response.Body.Position = 0;
            return (method, route, context.Response.StatusCode, await new StreamReader(context.Response.Body).ReadToEndAsync(ct));
        }

        public async ValueTask DisposeAsync()
        {
            await Services.DisposeAsync();
            await Process.DisposeAsync();
        }
    }
}
