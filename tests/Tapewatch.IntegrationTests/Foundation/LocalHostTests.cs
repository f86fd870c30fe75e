using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Tapewatch.Local.Hosting;
using Tapewatch.TestSupport;

namespace Tapewatch.IntegrationTests.Foundation;

public sealed class LocalHostTests(AzuriteFixture azurite)
{
    /// <summary>No outbound sources in these tests (no real network): every remote source disabled.</summary>
    /// <summary>Every outbound source disabled or pointed at a closed loopback port without retries: no real network in tests.</summary>
    internal static readonly IReadOnlyDictionary<string, string?> Offline = new Dictionary<string, string?>
    {
        ["Tapewatch:Derivatives:Binance:Enabled"] = "false",
        ["Tapewatch:Derivatives:Okx:Enabled"] = "false",
        ["Tapewatch:Derivatives:Bybit:Enabled"] = "false",
        ["Tapewatch:Derivatives:Deribit:Enabled"] = "false",
        ["Tapewatch:Derivatives:Kraken:Enabled"] = "false",
        ["Tapewatch:Derivatives:Cftc:Enabled"] = "false",
        ["Tapewatch:Derivatives:BtcClose:Enabled"] = "false",
        ["Tapewatch:Weekly:FeedUrl"] = $"http://127.0.0.1:{FreePort()}/feed",
        ["Tapewatch:Weekly:MaxRetryAttempts"] = "0",
        ["Tapewatch:Flows:Farside:BaseUrl"] = $"http://127.0.0.1:{FreePort()}",
        ["Tapewatch:Flows:Http:MaxRetries"] = "0",
    };

    [Fact]
    public async Task Run_once_with_configured_storage_exits_zero_and_reports_health()
    {
        var output = new StringWriter();
        var options = new LocalHostOptions { Port = FreePort(), StorageConnectionString = azurite.ConnectionString, Once = true, Settings = Offline };
        var code = await new LocalHost(options, output, output).RunAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, code);
        // "degraded" when a dataset's source is unreachable (no internet in the build environment).
        Assert.Matches(@"health: (ok|degraded) \(storage ok\)", output.ToString());
    }

    [Fact]
    public async Task Serves_health_on_the_Function_app_route()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var port = FreePort();
        var output = new StringWriter();
        var host = new LocalHost(new LocalHostOptions { Port = port, StorageConnectionString = azurite.ConnectionString, Settings = Offline }, TextWriter.Synchronized(output), TextWriter.Null);
        var running = host.RunAsync(cts.Token);
        try
        {
            using var http = new HttpClient();
            var response = await PollAsync(http, new Uri($"http://localhost:{port}/api/health"), cts.Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cts.Token));
            Assert.Equal("ok", doc.RootElement.GetProperty("storage").GetProperty("status").GetString());
            Assert.Equal("evaluations", doc.RootElement.GetProperty("evaluationQueue").GetProperty("name").GetString());
        }
        finally
        {
            await cts.CancelAsync();
            Assert.Equal(0, await running);
        }
    }

    [Fact]
    public async Task Unreachable_storage_is_reported_as_unavailable_not_a_crash()
    {
        var output = new StringWriter();
        var dead = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Tapewatch.Local.Hosting.AzuriteProcess.AccountKey};TableEndpoint=http://127.0.0.1:{FreePort()}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{FreePort()}/devstoreaccount1;";
        var code = await new LocalHost(new LocalHostOptions { Port = FreePort(), StorageConnectionString = dead, Once = true, Settings = Offline }, output, output).RunAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, code);
        Assert.Contains("health: unavailable (storage unreachable)", output.ToString(), StringComparison.Ordinal);
    }


    internal static async Task<HttpResponseMessage> PollAsync(HttpClient http, Uri uri, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                return await http.GetAsync(uri, ct);
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, ct);
            }
        }
    }

    internal static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
