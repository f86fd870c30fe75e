using System.Net;
using Tapewatch.Core.Hosting;
using Tapewatch.Local.Commands;
using Tapewatch.Local.Demo;
using Tapewatch.Local.Hosting;

namespace Tapewatch.IntegrationTests.LocalQueue;

/// <summary>
/// The local host end to end over its own Azurite: flows imported from a file by the CLI → evaluation request on
/// the queue → consumed by the host's queue worker → evaluator → GET /api/regime, which the CLI's
/// <c>regime --json</c> matches byte for byte.
/// </summary>
public sealed class EndToEndTests
{
    [Fact]
    public async Task Ingest_from_file_then_queue_then_evaluator_then_api_matches_the_cli()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var azurite = await AzuriteProcess.StartAsync(searchFrom: TestSupport.TestPaths.RepoRoot, cancellationToken: ct);

        var ingestOutput = new StringWriter();
        var ingest = await IngestEtfFlowsCommand.RunAsync(
            new IngestEtfFlowsCommand.Request(null, DemoReplay.SamplePath, null, null, DryRun: false, Json: false, Storage: azurite.ConnectionString),
            ingestOutput, ingestOutput, ct);
        Assert.True(ingest == 0, ingestOutput.ToString());
        Assert.Contains("25 new", ingestOutput.ToString(), StringComparison.Ordinal);

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var port = Foundation.LocalHostTests.FreePort();
        var host = new LocalHost(
            new LocalHostOptions { Port = port, StorageConnectionString = azurite.ConnectionString, RunStartupCycle = false, EnableScheduler = false },
            TextWriter.Null,
            TextWriter.Null);
        var running = host.RunAsync(cts.Token);
        try
        {
            using var http = new HttpClient();
            var regimeUri = new Uri($"http://localhost:{port}/api/regime");
            HttpResponseMessage response;
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                response = await Foundation.LocalHostTests.PollAsync(http, regimeUri, ct);
                if (response.StatusCode == HttpStatusCode.OK || DateTime.UtcNow > deadline) break;
                response.Dispose();
                await Task.Delay(250, ct);
            }

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var api = await response.Content.ReadAsStringAsync(ct);
            Assert.Contains("\"asOfSession\":\"2025-11-21\"", api, StringComparison.Ordinal);

            var cli = new StringWriter();
            Assert.Equal(0, await RegimeCommand.RunAsync(json: true, azurite.ConnectionString, data: null, cli, TextWriter.Null, ct));
            Assert.Equal(api, cli.ToString().TrimEnd('\n', '\r'));

            var health = await http.GetStringAsync(new Uri($"http://localhost:{port}/api/health"), ct);
            Assert.Contains("\"approximateDepth\":0", health, StringComparison.Ordinal);
        }
        finally
        {
            await cts.CancelAsync();
            Assert.Equal(0, await running);
        }
    }
}
