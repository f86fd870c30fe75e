using System.Reflection;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Tapewatch.Core.Alerts;
using Tapewatch.Infrastructure.Alerts;
using Tapewatch.Core.Derivatives;
using Tapewatch.Infrastructure.Derivatives;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Infrastructure.Ingestion;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.Core.Weekly;
using Tapewatch.Infrastructure.Weekly;
using Tapewatch.IntegrationTests.Derivatives;
using Tapewatch.IntegrationTests.Faults;
using Tapewatch.IntegrationTests.Flows;
using Tapewatch.IntegrationTests.Weekly;
using Tapewatch.TestSupport;
using Tapewatch.Infrastructure.Flows;

namespace Tapewatch.IntegrationTests.Security;

/// <summary>
/// Every Function trigger adapter executed once, as the worker would call it, on the Function app's composition against a
/// private Azurite (the app's table names are fixed): HTTP triggers with a real <see cref="Microsoft.AspNetCore.Http.HttpContext"/>,
/// timer triggers with a <see cref="TimerInfo"/> and their sources on loopback, the queue trigger with a queued message.
/// </summary>
public sealed class FunctionTriggerTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Wednesday = new(2025, 11, 12, 15, 0, 0, TimeSpan.Zero);

    private const string FlowsCsv = "date,IBIT,FBTC,Total\n2025-11-03,-150.0,-36.5,-186.5\n2025-11-04,-500.0,-66.4,-566.4\n2025-11-05,-100.0,-37.0,-137.0\n2025-11-06,200.0,39.9,239.9\n2025-11-07,-500.0,-58.4,-558.4\n2025-11-10,1.0,0.2,1.2\n2025-11-11,500.0,24.0,524.0\n";

    /// <summary>The functions each test below executes; together they must be every function of the app.</summary>
    private static readonly string[] HttpFunctions =
    [
        "Health", "Regime", "RegimeHistory", "Flows", "WeeklyFundFlowsGet", "DerivativesGet", "EvaluationsPost", "OpenApi",
        "SilenceCreate", "SilenceList", "SilenceDelete", "WeeklyFlowsPost", "EtfFlowsBackfill", "Dashboard", "DashboardAssets", "Evaluator",
    ];

    private static readonly string[] BackgroundFunctions = ["WeeklyFlowsTimer", "EtfFlows", "Evaluator", "DerivativesHourly", "DerivativesClose"];

    [Fact]
    public void These_tests_execute_every_function_of_the_app()
    {
        var all = RouteTableTests.FunctionMethods().Select(m => m.GetCustomAttribute<FunctionAttribute>()!.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(20, all.Count);
        Assert.Equal(all, HttpFunctions.Union(BackgroundFunctions).Order(StringComparer.Ordinal).ToList());
        var http = RouteTableTests.HttpTriggers().Select(t => t.FunctionName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(http, HttpFunctions.Where(f => f != "Evaluator").Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public async Task Http_triggers_answer_with_their_status_and_body_shape()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var storage = await FaultStorage.StartAsync(azurite, ct);
        await using var app = FunctionTriggerHarness.Build(storage.Process.ConnectionString, new FixedNowTimeProvider(Wednesday), new Dictionary<string, string?>
        {
            // Every outbound source on a closed loopback port: nothing here may reach the network.
            ["Tapewatch:Flows:Farside:BaseUrl"] = "http://127.0.0.1:1/",
            ["Tapewatch:Flows:SoSoValue:BaseUrl"] = "http://127.0.0.1:1/",
            ["Tapewatch:Flows:Http:MaxRetries"] = "0",
        });

        using (var health = Json(await app.HttpAsync(Route("GET", "health"), ct: ct), 200))
        {
            Assert.Equal("ok", health.RootElement.GetProperty("storage").GetProperty("status").GetString());
            Assert.Equal("evaluations", health.RootElement.GetProperty("evaluationQueue").GetProperty("name").GetString());
        }

        Problem(await app.HttpAsync(Route("GET", "regime"), ct: ct), 404);

        // The ETF backfill: a CSV upload is stored and an evaluation queued; the queue trigger evaluates it.
        using (var backfill = Json(await app.HttpAsync(Route("POST", "flows/backfill"), body: FlowsCsv, contentType: "text/csv", ct: ct), 200))
        {
            Assert.Equal("Succeeded", backfill.RootElement.GetProperty("outcome").GetString());
            Assert.Equal(7, backfill.RootElement.GetProperty("inserted").GetInt32());
            Assert.True(backfill.RootElement.GetProperty("evaluationEnqueued").GetBoolean());
        }

        Assert.Equal(1, await DeliverEvaluationsAsync(app, ct));

        using (var regime = Json(await app.HttpAsync(Route("GET", "regime"), query: "code=a-function-key", ct: ct), 200))
        {
            Assert.Equal("2025-11-11", regime.RootElement.GetProperty("asOfSession").GetString());
            Assert.Equal("Reset", regime.RootElement.GetProperty("regime").GetString());
            Assert.Equal(3, regime.RootElement.GetProperty("scenarios").GetArrayLength());
        }

        using (var history = Json(await app.HttpAsync(Route("GET", "regime/history"), query: "from=2025-11-01&to=2025-11-12", ct: ct), 200))
        {
            // The backfill re-evaluated every session it stored (changedFrom = the first).
            var rows = history.RootElement.GetProperty("evaluations").EnumerateArray().Select(r => r.GetProperty("asOfSession").GetString()).ToList();
            Assert.Equal(["2025-11-03", "2025-11-04", "2025-11-05", "2025-11-06", "2025-11-07", "2025-11-10", "2025-11-11"], rows);
        }

        using (var flows = Json(await app.HttpAsync(Route("GET", "flows"), query: "from=2025-11-01&to=2025-11-12&code=a-function-key", ct: ct), 200))
        {
            var sessions = flows.RootElement.GetProperty("sessions").EnumerateArray().ToList();
            Assert.Equal(7, sessions.Count);
            Assert.Equal(524.0m, sessions[^1].GetProperty("totalUsdM").GetDecimal());
            Assert.Equal("USD millions", flows.RootElement.GetProperty("unit").GetString());
        }

        // The manual CoinShares week: 201 the first time, then readable.
        using (var week = Json(await app.HttpAsync(Route("POST", "fund-flows/weekly"), body: """{"weekEnding":"2025-11-07","totalUsd":-1170000000,"assets":{"Bitcoin":-946000000}}""", contentType: "application/json", ct: ct), 201))
        {
            Assert.Equal("inserted", week.RootElement.GetProperty("outcome").GetString());
            Assert.Equal("2025-11-07", week.RootElement.GetProperty("week").GetProperty("weekEnding").GetString());
        }

        using (var weeks = Json(await app.HttpAsync(Route("GET", "fund-flows/weekly"), query: "from=2025-10-01&to=2025-11-12", ct: ct), 200))
        {
            var stored = Assert.Single(weeks.RootElement.GetProperty("weeks").EnumerateArray());
            Assert.Equal(-1_170_000_000L, stored.GetProperty("totalUsd").GetInt64());
        }

        using (var derivatives = Json(await app.HttpAsync(Route("GET", "derivatives"), query: "from=2025-11-01&to=2025-11-12", ct: ct), 200))
        {
            Assert.Equal(JsonValueKind.Array, derivatives.RootElement.GetProperty("readings").ValueKind);
            Assert.Equal("2025-11-01", derivatives.RootElement.GetProperty("from").GetString());
        }

        using (var evaluation = Json(await app.HttpAsync(Route("POST", "evaluations"), body: """{"changedFrom":"2025-11-03"}""", contentType: "application/json", ct: ct), 202))
        {
            Assert.True(evaluation.RootElement.GetProperty("queued").GetBoolean());
            Assert.Equal("2025-11-03", evaluation.RootElement.GetProperty("changedFrom").GetString());
        }

        Assert.Equal(2, await DeliverEvaluationsAsync(app, ct)); // the manual week's and the POST's

        // Silences: create, list, delete through the trigger (the id bound from the route), gone from the store.
        string id;
        using (var created = Json(await app.HttpAsync(Route("POST", "silences"), body: """{"matchers":["scenario=Caution"],"duration":"2d","comment":"trigger test"}""", contentType: "application/json", ct: ct), 201))
        {
            id = created.RootElement.GetProperty("id").GetString()!;
            Assert.Equal("active", created.RootElement.GetProperty("status").GetString());
        }

        using (var list = Json(await app.HttpAsync(Route("GET", "silences"), ct: ct), 200))
        {
            Assert.Equal(id, Assert.Single(list.RootElement.GetProperty("silences").EnumerateArray()).GetProperty("id").GetString());
        }

        var deleted = await app.HttpAsync(Route("DELETE", "silences/{id}"), routeValues: new Dictionary<string, string> { ["id"] = id }, ct: ct);
        Assert.True(deleted.Status == 204, deleted.ToString());
        Assert.Equal("", deleted.Body);
        Assert.DoesNotContain(await app.Services.GetRequiredService<SilenceStore>().ListAsync(ct), s => s.Id == id);
        using (var list = Json(await app.HttpAsync(Route("GET", "silences"), ct: ct), 200))
        {
            Assert.Empty(list.RootElement.GetProperty("silences").EnumerateArray());
        }

        Problem(await app.HttpAsync(Route("DELETE", "silences/{id}"), routeValues: new Dictionary<string, string> { ["id"] = id }, ct: ct), 404);

        // The OpenAPI document lists the table's routes with the table's security (an independent check of what clients are told).
        using (var openApi = Json(await app.HttpAsync(Route("GET", "openapi.json"), ct: ct), 200))
        {
            Assert.Equal("3.0.3", openApi.RootElement.GetProperty("openapi").GetString());
            var paths = openApi.RootElement.GetProperty("paths");
            var documented = paths.EnumerateObject().SelectMany(p => p.Value.EnumerateObject().Select(o => $"{o.Name.ToUpperInvariant()} {p.Name["/api/".Length..]} {Level(o.Value.GetProperty("security"))}"));
            Assert.Equal(RouteTable.Lines(RouteTable.All), documented.Order(StringComparer.Ordinal).ToList());
        }

        var page = await app.HttpAsync(Route("GET", "dashboard"), query: "days=30&code=a-function-key", ct: ct);
        Assert.True(page.Status == 200, page.ToString());
        Assert.StartsWith("text/html", page.ContentType, StringComparison.Ordinal);
        Assert.Contains("<html", page.Body, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Reset", page.Body, StringComparison.Ordinal);
        Assert.Contains("/api/dashboard/assets/", page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("assets/dashboard.js?code=", page.Body, StringComparison.Ordinal); // assets are anonymous: no key in their URLs

        // Static assets: the host passes the route value as the path (the handler reads the last segment).
        var script = await app.HttpAsync(Route("GET", "dashboard/assets/{name}"), routeValues: new Dictionary<string, string> { ["name"] = "dashboard.js" }, ct: ct);
        Assert.True(script.Status == 200, script.ToString());
        Assert.StartsWith("text/javascript", script.ContentType, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(script.Body));
        Problem(await app.HttpAsync(Route("GET", "dashboard/assets/{name}"), routeValues: new Dictionary<string, string> { ["name"] = "secrets.json" }, ct: ct), 404);

        Assert.Equal(HttpFunctions.Order(StringComparer.Ordinal), app.Invoked.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Timer_and_queue_triggers_run_their_jobs_against_loopback_sources()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var storage = await FaultStorage.StartAsync(azurite, ct);
        var clock = new SettableTimeProvider(new DateTimeOffset(2025, 11, 10, 12, 0, 0, TimeSpan.Zero)); // Monday noon UTC: the weekly report is out

        var feedXml = WeeklyFixtureFiles.Text("feed-2025-11-10.xml");
        await using var feed = await LoopbackServer.StartAsync((c, _) =>
        {
            c.Response.ContentType = "application/rss+xml; charset=utf-8";
            return Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(c.Response, feedXml);
        });
        string[] funds = ["IBIT", "FBTC"];
        await using var farside = await LoopbackServer.StartAsync((c, _) => LoopbackServer.Html(c, FarsideMarkup.Page(funds,
        [
            new(new DateOnly(2025, 11, 3), [-150.0m, -36.5m]), new(new DateOnly(2025, 11, 4), [-500.0m, -66.4m]), new(new DateOnly(2025, 11, 5), [-100.0m, -37.0m]),
            new(new DateOnly(2025, 11, 6), [200.0m, 39.9m]), new(new DateOnly(2025, 11, 7), [-500.0m, -58.4m]), new(new DateOnly(2025, 11, 10), [1.0m, 0.2m]),
            new(new DateOnly(2025, 11, 11), [500.0m, 24.0m]),
        ])));
        await using var venues = await FakeVenueServer.StartAsync(DerivativesServices.Fixtures, ct);

        var settings = venues.Settings(storage.Process.ConnectionString);
        settings.Remove("Tapewatch:Storage:ConnectionString"); // the Function app's storage comes from AzureWebJobsStorage
        settings["Tapewatch:Weekly:FeedUrl"] = new Uri(feed.BaseUrl, "feed").ToString();
        settings["Tapewatch:Weekly:MaxRetryAttempts"] = "0";
        settings["Tapewatch:Flows:Sources"] = "farside";
        settings["Tapewatch:Flows:Farside:BaseUrl"] = farside.BaseUrl.ToString();
        settings["Tapewatch:Flows:Http:MaxRetries"] = "0";
        await using var app = FunctionTriggerHarness.Build(storage.Process.ConnectionString, clock, settings);
        var runs = app.Services.GetRequiredService<IngestionRunLog>();

        // Monday: the CoinShares week is read from the feed.
        await app.TimerAsync("WeeklyFlowsTimer", ct);
        Assert.Equal(1, feed.Requests);
        var (week, _) = (await app.Services.GetRequiredService<WeeklyFlowStore>().GetAsync(new DateOnly(2025, 11, 7), ct))!.Value;
        Assert.Equal(-1_170_000_000L, week.TotalUsd);
        Assert.Equal(RunOutcome.Succeeded, await LatestAsync(runs, WeeklyFlowIngestion.Dataset, ct));

        // Wednesday: the ETF tape up to Tuesday's session from Farside, then the queue trigger evaluates.
        clock.Now = Wednesday;
        await app.TimerAsync("EtfFlows", ct);
        Assert.True(farside.Requests >= 1);
        var sessions = await app.Services.GetRequiredService<EtfSessionStore>().GetRangeAsync(new DateOnly(2025, 11, 3), new DateOnly(2025, 11, 11), ct);
        Assert.Equal(7, sessions.Count);
        Assert.Equal(524.0m, sessions[^1].TotalUsdM);
        Assert.Equal(RunOutcome.Succeeded, await LatestAsync(runs, "etf-flows", ct));
        Assert.Equal(2, await DeliverEvaluationsAsync(app, ct)); // the week's and the tape's
        var (current, _) = (await app.Services.GetRequiredService<EvaluationStore>().GetCurrentAsync(ct))!.Value;
        Assert.Equal(new DateOnly(2025, 11, 11), current.AsOfSession);

        // A malformed message throws (so the host retries it, then poisons it) and writes nothing.
        await Assert.ThrowsAsync<FormatException>(() => app.QueueAsync("Evaluator", "{not json", ct));

        // Tuesday 13 Jan 2026 after the close (the venues' recorded answers): the hourly reading, then the daily snapshot.
        clock.Now = new DateTimeOffset(2026, 1, 13, 21, 31, 0, TimeSpan.Zero);
        await app.TimerAsync("DerivativesHourly", ct);
        Assert.True(venues.Requests.GetValueOrDefault("deribit") >= 1, "the hourly run read no venue");
        await app.TimerAsync("DerivativesClose", ct);
        var daily = await app.Services.GetRequiredService<DerivativesDailyStore>().GetAsync(new DateOnly(2026, 1, 13), ct);
        Assert.NotNull(daily);
        Assert.Equal(7.8852m, daily.Value.Reading.Basis3mAnnualizedPct);
        Assert.Equal(123_000m, daily.Value.Reading.CmeOpenInterestBtc);
        Assert.Equal(RunOutcome.Succeeded, await LatestAsync(runs, DerivativesIngestion.Dataset, ct));

        Assert.Equal(BackgroundFunctions.Order(StringComparer.Ordinal), app.Invoked.Order(StringComparer.Ordinal));
    }

    private static ExpectedRoute Route(string method, string path) => RouteTable.All.Single(r => r.Method == method && r.Path == path);

    /// <summary>Delivers every queued evaluation request to the Evaluator queue trigger (then deletes it, as the host does on success).</summary>
    private static async Task<int> DeliverEvaluationsAsync(FunctionTriggerHarness app, CancellationToken ct)
    {
        var queue = await app.Services.GetRequiredService<EvaluationQueue>().ClientAsync(ct);
        var delivered = 0;
        while ((await queue.ReceiveMessageAsync(cancellationToken: ct)).Value is { } message)
        {
            await app.QueueAsync("Evaluator", message.Body.ToString(), ct);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
            delivered++;
        }

        return delivered;
    }

    private static async Task<RunOutcome?> LatestAsync(IngestionRunLog runs, string dataset, CancellationToken ct) =>
        (await runs.LatestAsync(ct)).SingleOrDefault(r => r.Dataset == dataset)?.Outcome;

    private static JsonDocument Json(TriggerAnswer answer, int status)
    {
        Assert.True(answer.Status == status, $"expected {status}, got {answer}");
        Assert.StartsWith("application/json", answer.ContentType, StringComparison.Ordinal);
        return JsonDocument.Parse(answer.Body);
    }

    private static void Problem(TriggerAnswer answer, int status)
    {
        Assert.True(answer.Status == status, $"expected {status}, got {answer}");
        Assert.StartsWith("application/problem+json", answer.ContentType, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(answer.Body);
        Assert.Equal(status, doc.RootElement.GetProperty("status").GetInt32());
    }

    private static string Level(JsonElement security)
    {
        var schemes = security.EnumerateArray().SelectMany(s => s.EnumerateObject().Select(p => p.Name)).ToHashSet(StringComparer.Ordinal);
        return schemes.Count == 0 ? nameof(AuthorizationLevel.Anonymous)
            : schemes.SetEquals(["adminKey"]) ? nameof(AuthorizationLevel.Admin)
            : schemes.Contains("functionKey") && !schemes.Contains("adminKey") ? nameof(AuthorizationLevel.Function)
            : "unclear: " + string.Join(",", schemes);
    }

    /// <summary>A clock the test moves (real timers, so the HTTP pipelines' timeouts still work).</summary>
    private sealed class SettableTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
