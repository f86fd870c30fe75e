using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Tapewatch.Infrastructure.Evaluation;
using Tapewatch.Infrastructure.Ingestion;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.Core.Weekly;
using Tapewatch.Infrastructure.Weekly;
using Tapewatch.Infrastructure.Api;

namespace Tapewatch.Tests.Weekly;

public sealed class WeeklyManualEntryTests
{
    private static readonly DateOnly Today = new(2025, 11, 10);

    [Fact]
    public void Valid_week_with_maps_and_aliases()
    {
        var week = Parse("""{"weekEnding":"2025-11-07","totalUsd":-1170000000,"assets":{"btc":-932000000,"Solana":118000000},"regions":{"US":-1220000000,"Germany":41400000},"aumUsd":240000000000,"publishedOn":"2025-11-10"}""", out var field, out var detail);

        Assert.True(week is not null, $"{field}: {detail}");
        Assert.Equal(new DateOnly(2025, 11, 7), week.WeekEnding);
        Assert.Equal(-1_170_000_000L, week.TotalUsd);
        Assert.Equal(-932_000_000L, week.Assets["Bitcoin"]);
        Assert.Equal(118_000_000L, week.Assets["Solana"]);
        Assert.Equal(-1_220_000_000L, week.Regions["United States"]);
        Assert.Equal(240_000_000_000L, week.AumUsd);
        Assert.Equal(new DateOnly(2025, 11, 10), week.PublishedOn);
        Assert.Equal(WeeklyManualEntry.Source, week.Source);
    }

    [Fact]
    public void Only_week_and_total_are_needed_and_the_rest_stays_absent()
    {
        var week = Parse("""{"weekEnding":"2025-11-07","totalUsd":5}""", out _, out _);
        Assert.NotNull(week);
        Assert.Empty(week.Assets);
        Assert.Empty(week.Regions);
        Assert.Null(week.AumUsd);
        Assert.Null(week.PublishedOn);
    }

    [Theory]
    [InlineData("""{"weekEnding":"2025-11-06","totalUsd":1}""", "weekEnding", "must be a Friday")]
    [InlineData("""{"weekEnding":"2025-11-14","totalUsd":1}""", "weekEnding", "in the future")]
    [InlineData("""{"weekEnding":"07/11/2025","totalUsd":1}""", "weekEnding", "yyyy-MM-dd")]
    [InlineData("""{"totalUsd":1}""", "weekEnding", "required")]
    [InlineData("""{"weekEnding":"2025-11-07"}""", "totalUsd", "required")]
    [InlineData("""{"weekEnding":"2025-11-07","totalUsd":-1.17}""", "totalUsd", "whole number")]
    [InlineData("""{"weekEnding":"2025-11-07","totalUsd":"-1170000000"}""", "totalUsd", "whole number")]
    [InlineData("""{"weekEnding":"2025-11-07","totalUsd":-1170000000000000}""", "totalUsd", "beyond")]
    [InlineData("""{"weekEnding":"2025-11-07","totalUsd":1,"aumUsd":-5}""", "aumUsd", "non-negative")]
    [InlineData("""{"weekEnding":"2025-11-07","totalUsd":1,"assets":{"Bitcoin":"lots"}}""", "assets.Bitcoin", "whole number")]
    [InlineData("""{"weekEnding":"2025-11-07","totalUsd":1,"assets":[1,2]}""", "assets", "object")]
    [InlineData("""{"weekEnding":"2025-11-07","totalUsd":1,"regions":{"<script>":1}}""", "regions.<script>", "not a valid region name")]
    [InlineData("""{"weekEnding":"2025-11-07","totalUsd":1,"regions":{"US":1,"usa":2}}""", "regions.usa", "repeats region 'United States'")]
    [InlineData("""{"weekEnding":"2025-11-07","totalUsd":1,"total":1}""", "total", "Unknown field")]
    [InlineData("""{"weekEnding":"2025-11-07","totalUsd":1,"totalUsd":2}""", "totalUsd", "more than once")]
    [InlineData("""{"weekEnding":"2025-11-07","totalUsd":1,"publishedOn":"2025-11-07"}""", "publishedOn", "after the week ending")]
    [InlineData("""[1]""", "body", "JSON object")]
    [InlineData("""{"weekEnding":""", "body", "not valid JSON")]
    public void Bad_input_names_the_field(string json, string expectedField, string expectedDetail)
    {
        var week = Parse(json, out var field, out var detail);

        Assert.Null(week);
        Assert.Equal(expectedField, field);
        Assert.Contains(expectedDetail, detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Endpoint_answers_400_problem_json_naming_the_field_without_touching_storage()
    {
        var (status, contentType, body) = await PostAsync("""{"weekEnding":"2025-11-06","totalUsd":1}""", "application/json");

        Assert.Equal(400, status);
        Assert.Equal("application/problem+json", contentType);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal("weekEnding", problem.RootElement.GetProperty("parameter").GetString());
        Assert.Contains("Friday", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Endpoint_caps_the_body_size()
    {
        var big = """{"weekEnding":"2025-11-07","totalUsd":1,"assets":{""" + string.Join(',', Enumerable.Range(0, 2000).Select(i => $"\"A{i}\":1")) + "}}";
        Assert.True(Encoding.UTF8.GetByteCount(big) > WeeklyFlowsEndpoint.MaxBodyBytes);

        var (status, contentType, body) = await PostAsync(big, "application/json", sendLength: false);
        Assert.Equal(413, status);
        Assert.Equal("application/problem+json", contentType);
        Assert.Contains("body", body, StringComparison.Ordinal);

        (status, _, _) = await PostAsync(big, "application/json", sendLength: true);
        Assert.Equal(413, status);
    }

    [Fact]
    public async Task Endpoint_refuses_non_json_and_empty_bodies()
    {
        var (status, _, body) = await PostAsync("weekEnding=2025-11-07", "application/x-www-form-urlencoded");
        Assert.Equal(415, status);
        Assert.Contains("Content-Type", body, StringComparison.Ordinal);

        (status, _, body) = await PostAsync("", "application/json");
        Assert.Equal(400, status);
        Assert.Contains("\"parameter\":\"body\"", body, StringComparison.Ordinal);
    }

    private static Core.Domain.WeeklyFundFlow? Parse(string json, out string? field, out string? detail) =>
        WeeklyManualEntry.Parse(Encoding.UTF8.GetBytes(json), Today, out field, out detail);

    private static async Task<(int Status, string? ContentType, string Body)> PostAsync(string json, string contentType, bool sendLength = true)
    {
        // Storage points at nothing reachable: a validation failure must answer before any storage call.
        var storage = new TapewatchStorage(
            Options.Create(new StorageOptions { ConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;QueueEndpoint=http://127.0.0.1:1/devstoreaccount1" }),
            new ConfigurationBuilder().Build());
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 11, 10, 12, 0, 0, TimeSpan.Zero));
        var ingestion = new WeeklyFlowIngestion(new WeeklyFlowStore(storage), new EvaluationQueue(storage, time), new IngestionRunLog(storage), time, NullLogger<WeeklyFlowIngestion>.Instance);
        var endpoint = new WeeklyFlowsEndpoint(ingestion, time);

        var context = new DefaultHttpContext();
        var bytes = Encoding.UTF8.GetBytes(json);
        context.Request.Method = "POST";
        context.Request.ContentType = contentType;
        context.Request.Body = new MemoryStream(bytes);
        if (sendLength) context.Request.ContentLength = bytes.Length;
        var response = new MemoryStream();
        context.Response.Body = response;
        context.RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider();

        var result = await endpoint.HandleAsync(context.Request, CancellationToken.None);
        await result.ExecuteAsync(context);
        return (context.Response.StatusCode, context.Response.ContentType, Encoding.UTF8.GetString(response.ToArray()));
    }
}
