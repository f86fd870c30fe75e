using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tapewatch.Core.Weekly;
using Tapewatch.Infrastructure.Weekly;
using Tapewatch.Local.Commands;
using Tapewatch.TestSupport;
using Tapewatch.Infrastructure.Api;

namespace Tapewatch.IntegrationTests.Weekly;

public sealed class WeeklyManualFallbackTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset MondayNoon = new(2025, 11, 10, 12, 0, 0, TimeSpan.Zero);

    [Fact(Timeout = 60_000)]
    public async Task Post_stores_then_reports_unchanged_then_a_revision()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await WeeklyHarness.StartAsync(azurite, MondayNoon);
        const string body = """{"weekEnding":"2025-11-07","totalUsd":-1170000000,"assets":{"Bitcoin":-932000000},"regions":{"US":-1220000000}}""";

        var (s1, r1) = await PostAsync(h, body);
        var (s2, r2) = await PostAsync(h, body);
        var (s3, r3) = await PostAsync(h, body.Replace("-1170000000", "-1200000000", StringComparison.Ordinal));

        Assert.Equal(201, s1);
        Assert.Equal("inserted", r1.GetProperty("outcome").GetString());
        Assert.True(r1.GetProperty("evaluationEnqueued").GetBoolean());
        Assert.Equal(-1220000000, r1.GetProperty("week").GetProperty("regions").GetProperty("United States").GetInt64());
        Assert.Equal(200, s2);
        Assert.Equal("unchanged", r2.GetProperty("outcome").GetString());
        Assert.False(r2.GetProperty("evaluationEnqueued").GetBoolean());
        Assert.Equal(200, s3);
        Assert.Equal("updated", r3.GetProperty("outcome").GetString());
        Assert.Equal(2, r3.GetProperty("revision").GetInt32());

        var (week, _) = (await h.Store.GetAsync(new DateOnly(2025, 11, 7), ct))!.Value;
        Assert.Equal(-1_200_000_000L, week.TotalUsd);
        Assert.Equal(WeeklyManualEntry.Source, week.Source);
        Assert.Single(await h.Store.GetRevisionsAsync(week.WeekEnding, ct));
        Assert.Equal(2, (await h.EvaluationRequestsAsync()).Count);
    }

    [Fact(Timeout = 60_000)]
    public async Task Cli_imports_a_saved_feed_once_and_then_finds_it_unchanged()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await WeeklyHarness.StartAsync(azurite, MondayNoon);
        var request = new IngestWeeklyFlowsCommand.Request(WeeklyFixtureFiles.Path("feed-2025-11-10.xml"), DryRun: false, Json: true, Published: null, Storage: h.ConnectionString, Data: null);

        var out1 = new StringWriter();
        var code1 = await IngestWeeklyFlowsCommand.RunAsync(request, out1, TextWriter.Null, ct);
        var out2 = new StringWriter();
        var code2 = await IngestWeeklyFlowsCommand.RunAsync(request, out2, TextWriter.Null, ct);

        Assert.Equal(0, code1);
        Assert.Equal(0, code2);
        using var first = JsonDocument.Parse(out1.ToString());
        using var second = JsonDocument.Parse(out2.ToString());
        Assert.Equal("inserted", first.RootElement.GetProperty("outcome").GetString());
        Assert.Equal("unchanged", second.RootElement.GetProperty("outcome").GetString());
        var (week, _) = (await h.Store.GetAsync(new DateOnly(2025, 11, 7), ct))!.Value;
        Assert.Equal(-1_170_000_000L, week.TotalUsd);
        Assert.Equal(IngestWeeklyFlowsCommand.Source, week.Source);
        // The CLI reads its own configuration: the default evaluation queue, one request for the one change.
        Assert.Single(await h.EvaluationRequestsAsync(Tapewatch.Infrastructure.Storage.AppSettingNames.DefaultEvaluationQueueName));
    }

    [Fact(Timeout = 60_000)]
    public async Task Cli_with_unreadable_input_writes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await WeeklyHarness.StartAsync(azurite, MondayNoon);
        var request = new IngestWeeklyFlowsCommand.Request(WeeklyFixtureFiles.Path("feed-no-report.xml"), DryRun: false, Json: false, Published: null, Storage: h.ConnectionString, Data: null);
        var error = new StringWriter();

        var code = await IngestWeeklyFlowsCommand.RunAsync(request, TextWriter.Null, error, ct);

        Assert.Equal(1, code);
        Assert.Contains("no item titled", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(await h.Store.GetRangeAsync(new DateOnly(2000, 1, 7), new DateOnly(2100, 1, 1), ct));
    }

    private static async Task<(int Status, JsonElement Body)> PostAsync(WeeklyHarness h, string json)
    {
        var context = new DefaultHttpContext { RequestServices = h.Services };
        var bytes = Encoding.UTF8.GetBytes(json);
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = bytes.Length;
        context.Request.Body = new MemoryStream(bytes);
        var response = new MemoryStream();
        context.Response.Body = response;
        var endpoint = h.Services.GetRequiredService<WeeklyFlowsEndpoint>();
        var result = await endpoint.HandleAsync(context.Request, TestContext.Current.CancellationToken);
        await result.ExecuteAsync(context);
        using var doc = JsonDocument.Parse(response.ToArray());
        return (context.Response.StatusCode, doc.RootElement.Clone());
    }
}
