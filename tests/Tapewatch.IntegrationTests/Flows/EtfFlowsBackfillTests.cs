using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tapewatch.Core.Flows;
using Tapewatch.Infrastructure.Flows;
using Tapewatch.Infrastructure.Ingestion;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.Local.Commands;
using Tapewatch.Infrastructure.Api;

namespace Tapewatch.IntegrationTests.Flows;

/// <summary>POST /api/flows/backfill and the CLI's storing path, against the private Azurite.</summary>
[Collection(FlowsStorageCollection.Name)]
public sealed class EtfFlowsBackfillTests(FlowsStorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Csv = """
        date,IBIT,FBTC,Total
        2022-03-01,10.0,-2.5,7.5
        2022-03-02,,1.0,1.0
        2022-03-03,3.0,(1.0),2.0
        """;

    private static async Task<(int Status, JsonElement Body)> PostAsync(ServiceProvider sp, string query, string? body = null, string? contentType = null)
    {
        var context = new DefaultHttpContext { RequestServices = sp };
        context.Request.Method = "POST";
        context.Request.QueryString = new QueryString(query);
        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
            context.Request.ContentType = contentType;
        }

        context.Response.Body = new MemoryStream();
        var result = await sp.GetRequiredService<EtfFlowsBackfillEndpoint>().HandleAsync(context.Request, Ct);
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        using var doc = await JsonDocument.ParseAsync(context.Response.Body, cancellationToken: Ct);
        return (context.Response.StatusCode, doc.RootElement.Clone());
    }

    private ServiceProvider Services(Uri? source = null, Dictionary<string, string?>? extra = null) =>
        FlowsServices.Build(storage.ConnectionString, source, FlowsServices.At(2022, 3, 10, 12), extra);

    [Fact]
    public async Task Uploaded_csv_is_imported_and_summarised()
    {
        using var sp = Services();
        var (status, body) = await PostAsync(sp, "", Csv.Replace("(1.0)", "-1.0", StringComparison.Ordinal), "text/csv; charset=utf-8");
        Assert.Equal(200, status);
        Assert.Equal(("Succeeded", "upload", 3, "2022-03-01"), (body.GetProperty("outcome").GetString(), body.GetProperty("source").GetString(), body.GetProperty("inserted").GetInt32(), body.GetProperty("changedFrom").GetString()));
        var march2 = (await sp.GetRequiredService<EtfSessionStore>().GetAsync(new DateOnly(2022, 3, 2), Ct))!.Value.Session;
        Assert.Null(march2.Funds["IBIT"]);
        Assert.Equal("upload", march2.Source);
    }

    [Theory]
    [InlineData("?from=2022-02-30", "from")]
    [InlineData("?from=2022-03-05&to=2022-03-01", "to")]
    [InlineData("?to=2030-01-01", "to")]
    [InlineData("?from=2022-03-01&source=coinglass", "source")]
    [InlineData("", "from")]
    public async Task Bad_parameters_are_400_problems_naming_the_parameter(string query, string parameter)
    {
        using var sp = Services();
        var (status, body) = await PostAsync(sp, query);
        Assert.Equal(400, status);
        Assert.Equal(parameter, body.GetProperty("parameter").GetString());
    }

    [Fact]
    public async Task Oversized_or_unknown_uploads_are_refused()
    {
        using var sp = Services(extra: new() { ["Tapewatch:Flows:MaxUploadBytes"] = "1024" });
        var (tooLarge, _) = await PostAsync(sp, "", "date,IBIT,Total\n" + string.Concat(Enumerable.Repeat("2022-03-01,1.0,1.0\n", 100)), "text/csv");
        Assert.Equal(413, tooLarge);
        var (unsupported, problem) = await PostAsync(sp, "", "%PDF-1.4", "application/pdf");
        Assert.Equal(415, unsupported);
        Assert.Equal("Content-Type", problem.GetProperty("parameter").GetString());
    }

    [Fact]
    public async Task Uploaded_challenge_page_is_422_writes_nothing_and_records_the_run()
    {
        using var sp = Services();
        var (status, problem) = await PostAsync(sp, "", FlowsServices.Fixture("farside_challenge.html"), "text/html");
        Assert.Equal(422, status);
        Assert.Equal("body", problem.GetProperty("parameter").GetString());
        var latest = (await sp.GetRequiredService<IngestionRunLog>().LatestAsync(Ct)).Single(r => r.Dataset == "etf-flows");
        Assert.Equal(RunOutcome.SourceBlocked, latest.Outcome);
    }

    [Fact]
    public async Task Backfill_from_blocked_sources_is_a_502_with_the_reasons()
    {
        await using var server = await LoopbackServer.StartAsync((c, _) => LoopbackServer.Html(c, "<html>denied</html>", 403));
        using var sp = Services(server.BaseUrl);
        var (status, problem) = await PostAsync(sp, "?from=2022-03-07&to=2022-03-09");
        Assert.Equal(502, status);
        Assert.Contains("HTTP 403", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await sp.GetRequiredService<EtfSessionStore>().GetRangeAsync(new DateOnly(2022, 3, 7), new DateOnly(2022, 3, 9), Ct));
    }

    [Fact]
    public async Task Cli_imports_a_file_into_storage_and_a_second_run_changes_nothing()
    {
        var path = Path.Combine(Path.GetTempPath(), $"tapewatch-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(path, Csv.Replace("2022-03", "2022-05", StringComparison.Ordinal), Ct);
        try
        {
            var request = new IngestEtfFlowsCommand.Request(null, path, null, null, DryRun: false, Json: true, Storage: storage.ConnectionString);
            var output = new StringWriter();
            Assert.Equal(0, await IngestEtfFlowsCommand.RunAsync(request, output, TextWriter.Null, Ct));
            using var first = JsonDocument.Parse(output.ToString());
            Assert.Equal(3, first.RootElement.GetProperty("inserted").GetInt32());

            output = new StringWriter();
            Assert.Equal(0, await IngestEtfFlowsCommand.RunAsync(request, output, TextWriter.Null, Ct));
            using var second = JsonDocument.Parse(output.ToString());
            Assert.Equal((0, 0, 3), (second.RootElement.GetProperty("inserted").GetInt32(), second.RootElement.GetProperty("updated").GetInt32(), second.RootElement.GetProperty("unchanged").GetInt32()));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
