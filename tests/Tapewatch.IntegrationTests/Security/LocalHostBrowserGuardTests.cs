using System.Net;
using System.Text;
using Azure.Storage.Queues;
using Tapewatch.Core.Storage;
using Tapewatch.IntegrationTests.Foundation;

namespace Tapewatch.IntegrationTests.Security;

/// <summary>
/// The local host without a key (its default: the routes are open on localhost) must not be a tool for web pages: a page of
/// another site can send a form post or a no-cors fetch to http://localhost:7071 without any CORS preflight, and a page on a
/// rebinding domain reaches it under its own host name. Those are refused; the CLI (no Origin), the dashboard's own origin
/// and loopback host names are not.
/// </summary>
public sealed class LocalHostBrowserGuardTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Cross_site_writes_and_foreign_host_names_are_refused_without_a_key()
    {
        var ct = TestContext.Current.CancellationToken;
        var queueName = azurite.UniqueName("guard");
        var settings = new Dictionary<string, string?>(LocalHostTests.Offline) { [AppSettingNames.EvaluationQueueName] = queueName };
        await using var host = await RunningLocalHost.StartAsync(azurite.ConnectionString, settings, time: null, ct);
        using var http = host.Client();
        var queue = new QueueClient(azurite.ConnectionString, queueName);

        // Cross-site writes: another site's page (Origin), a sandboxed or file: page ("null"), another port of localhost, or
        // only the browser's Sec-Fetch-Site. A text/plain silence is what a form or no-cors fetch can send.
        foreach (var (header, value) in new[]
        {
            ("Origin", "http://evil.example"), ("Origin", "null"), ("Origin", "http://localhost:3000"), ("Sec-Fetch-Site", "cross-site"), ("Sec-Fetch-Site", "same-site"),
        })
        {
            foreach (var (path, body) in new[] { ("evaluations", ""), ("silences", """{"matchers":["scenario=Caution"],"duration":"30d","comment":"muted by a web page"}""") })
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, "text/plain") };
                request.Headers.TryAddWithoutValidation(header, value);
                using var response = await http.SendAsync(request, ct);
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"POST {path} with {header}: {value} answered {(int)response.StatusCode}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }

        Assert.False((await queue.ExistsAsync(ct)).Value && (await queue.PeekMessagesAsync(1, ct)).Value.Length > 0, "a refused request queued an evaluation");

        // DNS rebinding: a foreign host name is refused on every route, reads included.
        foreach (var path in new[] { "health", "regime", "dashboard" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
            request.Headers.Host = $"rebind.evil.example:{host.Port}";
            using var response = await http.SendAsync(request, ct);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"GET {path} for host rebind.evil.example answered {(int)response.StatusCode}");
        }

        // Allowed: the CLI or curl (no Origin), the host's own origin, and every loopback name.
        using (var cli = await http.PostAsync(new Uri("evaluations", UriKind.Relative), null, ct))
        {
            Assert.Equal(HttpStatusCode.Accepted, cli.StatusCode);
        }

        using (var sameOrigin = new HttpRequestMessage(HttpMethod.Post, new Uri("evaluations", UriKind.Relative)))
        {
            sameOrigin.Headers.TryAddWithoutValidation("Origin", $"http://localhost:{host.Port}");
            sameOrigin.Headers.TryAddWithoutValidation("Sec-Fetch-Site", "same-origin");
            using var response = await http.SendAsync(sameOrigin, ct);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        foreach (var name in new[] { "localhost", "127.0.0.1", "[::1]", "LOCALHOST" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("health", UriKind.Relative));
            request.Headers.Host = $"{name}:{host.Port}";
            using var response = await http.SendAsync(request, ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET health for host {name} answered {(int)response.StatusCode}");
        }

        // A cross-site read changes nothing and its answer cannot be read by the page (no CORS headers): served as usual.
        using (var read = new HttpRequestMessage(HttpMethod.Get, new Uri("health", UriKind.Relative)))
        {
            read.Headers.TryAddWithoutValidation("Origin", "http://evil.example");
            using var response = await http.SendAsync(read, ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        }
    }
}
