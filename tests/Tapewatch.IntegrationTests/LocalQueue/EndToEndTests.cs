using System.Net;
using netDumbster.smtp;
using Tapewatch.Infrastructure.Hosting;
using Tapewatch.Local.Commands;
using Tapewatch.Local.Demo;
using Tapewatch.Local.Hosting;

namespace Tapewatch.IntegrationTests.LocalQueue;

/// <summary>
/// The local host end to end over its own Azurite: flows imported from a file by the CLI → evaluation request on
/// the queue → consumed by the host's queue worker → evaluator → alert lifecycle → email to a real SMTP server
/// (netDumbster on loopback) → GET /api/regime, which the CLI's <c>regime --json</c> matches byte for byte.
/// The host runs on the demo clock (the evening after the sample's last session) so the data is fresh.
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
        var smtpPort = Foundation.LocalHostTests.FreePort();
        using var smtp = SimpleSmtpServer.Start(smtpPort);
        var port = Foundation.LocalHostTests.FreePort();
        var settings = new Dictionary<string, string?>
        {
            ["Tapewatch:Alerts:Email:Host"] = "127.0.0.1",
            ["Tapewatch:Alerts:Email:Port"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Tapewatch:Alerts:Email:Security"] = "None",
            ["Tapewatch:Alerts:Email:From"] = "tapewatch@localhost",
            ["Tapewatch:Alerts:Email:Recipients:0"] = "trader@localhost",
        };
        var host = new LocalHost(
            new LocalHostOptions
            {
                Port = port,
                StorageConnectionString = azurite.ConnectionString,
                RunStartupCycle = false,
                EnableScheduler = false,
                Time = new DemoClock(DemoCommand.SampleEnd),
                Settings = settings,
            },
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

            // The alert listener runs after the evaluation is stored: give it a moment.
            for (var i = 0; i < 120 && smtp.ReceivedEmailCount == 0; i++) await Task.Delay(250, ct);
            Assert.NotEmpty(smtp.ReceivedEmail);
            Assert.Contains(smtp.ReceivedEmail, m => m.Subject.Contains("[Tapewatch]", StringComparison.Ordinal));

            var health = await http.GetStringAsync(new Uri($"http://localhost:{port}/api/health"), ct);
            Assert.Contains("\"poisonDepth\":0", health, StringComparison.Ordinal);
        }
        finally
        {
            await cts.CancelAsync();
            Assert.Equal(0, await running);
        }
    }
}
