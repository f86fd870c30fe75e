using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using Tapewatch.Core.Storage;
using Tapewatch.IntegrationTests.Derivatives;
using Tapewatch.IntegrationTests.Faults;
using Tapewatch.IntegrationTests.Foundation;

namespace Tapewatch.IntegrationTests.Security;

/// <summary>
/// The local host with a key (<c>Tapewatch__Local__ApiKey</c>, given here as the same configuration key through the host's
/// settings so that parallel tests are not affected): every private route of <see cref="RouteTable"/> answers 401 without
/// the key or with a wrong one and does nothing, and its normal answer with the key in <c>x-functions-key</c> and in
/// <c>?code=</c>; anonymous routes answer without a key. The local host has ONE key: it stands for both the Function (read)
/// and the Admin (write) level, so on the local host a read key is also a write key (Azure has separate keys). Nothing
/// logs the key, even with every log category at Trace.
/// </summary>
public sealed class LocalHostKeyTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Now = new(2025, 11, 12, 15, 0, 0, TimeSpan.Zero);

    private const string FlowsCsv = "date,IBIT,FBTC,Total\n2025-11-03,-150.0,-36.5,-186.5\n2025-11-04,-500.0,-66.4,-566.4\n2025-11-05,-100.0,-37.0,-137.0\n2025-11-06,200.0,39.9,239.9\n2025-11-07,-500.0,-58.4,-558.4\n2025-11-10,1.0,0.2,1.2\n2025-11-11,500.0,24.0,524.0\n";

    private const string Week = """{"weekEnding":"2025-11-07","totalUsd":-1170000000,"assets":{"Bitcoin":-946000000},"publishedOn":"2025-11-10"}""";

    private const string Silence = """{"matchers":["scenario=Caution"],"duration":"2d","comment":"key test"}""";

    private enum KeyPlacement
    {
        None,
        Header,
        Query,
    }

    [Fact]
    public async Task Every_private_route_needs_the_key_in_the_header_or_in_code_and_the_public_routes_do_not()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var storage = await FaultStorage.StartAsync(azurite, ct);
        var key = "tw-key-" + Guid.NewGuid().ToString("N");
        var wrongKey = "tw-wrong-" + Guid.NewGuid().ToString("N");
        var queueName = "keys-eval";
        await using var host = await RunningLocalHost.StartAsync(storage.Process.ConnectionString, Settings(key, queueName), new FixedNowTimeProvider(Now), ct);
        using var http = host.Client();
        var queue = new QueueClient(storage.Process.ConnectionString, queueName);

        // 1. Without the key, or with a wrong one (in either place): 401 problem+json that does not echo a key, and nothing happens.
        foreach (var route in RouteTable.Private)
        {
            foreach (var (placement, given) in new[] { (KeyPlacement.None, (string?)null), (KeyPlacement.Header, wrongKey), (KeyPlacement.Query, wrongKey) })
            {
                using var request = Request(route, placement, given, silenceId: "0123456789ab");
                using var response = await http.SendAsync(request, ct);
                var body = await response.Content.ReadAsStringAsync(ct);
                var what = $"{route} with key {placement}";
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{what}: {(int)response.StatusCode} {body}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.Equal(401, JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32());
                Assert.DoesNotContain(key, body, StringComparison.Ordinal);
                Assert.DoesNotContain(wrongKey, body, StringComparison.Ordinal);
            }
        }

        // ...and the refused writes wrote nothing: no sessions, weeks or silences, no evaluation request.
        Assert.Empty(await ArrayAsync(http, "flows?from=2025-11-01&to=2025-11-12", "sessions", key, ct));
        Assert.Empty(await ArrayAsync(http, "fund-flows/weekly?from=2025-10-01&to=2025-11-12", "weeks", key, ct));
        Assert.Empty(await ArrayAsync(http, "silences", "silences", key, ct));
        Assert.False((await queue.ExistsAsync(ct)).Value && (await queue.PeekMessagesAsync(1, ct)).Value.Length > 0, "a refused request queued an evaluation");

        // 2. Seed with the key so the reads have data (the host's queue worker evaluates the backfill), then wait for the regime.
        using (var seed = Request(RouteTable.All.Single(r => r.Path == "flows/backfill"), KeyPlacement.Header, key, silenceId: null))
        using (var seeded = await http.SendAsync(seed, ct))
        {
            Assert.Equal(HttpStatusCode.OK, seeded.StatusCode);
        }

        await WaitForRegimeAsync(http, key, ct);

        // 3. With the key, in the header and in ?code=: each route's normal answer.
        foreach (var route in RouteTable.Private)
        {
            foreach (var placement in new[] { KeyPlacement.Header, KeyPlacement.Query })
            {
                var silenceId = route.Path == "silences/{id}" ? await CreateSilenceAsync(http, key, ct) : null;
                using var request = Request(route, placement, key, silenceId);
                using var response = await http.SendAsync(request, ct);
                var body = await response.Content.ReadAsStringAsync(ct);
                Assert.True(Succeeded(route, response.StatusCode), $"{route} with the key in the {placement}: {(int)response.StatusCode} {body}");
                if (silenceId is not null) Assert.DoesNotContain(silenceId, await GetAsync(http, "silences", key, ct), StringComparison.Ordinal);
            }
        }

        // The key parameter is matched like ASP.NET Core and the Functions host read it (case-insensitively), so ?Code= is the key
        // too, never an "unknown query parameter" on the endpoints that reject unknown ones.
        using (var capitalised = await http.GetAsync(new Uri("regime?Code=" + Uri.EscapeDataString(key), UriKind.Relative), ct))
        {
            Assert.Equal(HttpStatusCode.OK, capitalised.StatusCode);
        }

        // 4. Anonymous routes: no key needed (and a wrong one does not matter).
        foreach (var route in RouteTable.Anonymous)
        {
            foreach (var (placement, given) in new[] { (KeyPlacement.None, (string?)null), (KeyPlacement.Header, wrongKey) })
            {
                using var request = Request(route, placement, given, silenceId: null);
                using var response = await http.SendAsync(request, ct);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{route} with key {placement}: {(int)response.StatusCode}");
            }
        }

        // A malformed request line carrying the key (Kestrel quotes bad request lines in its logs when allowed to).
        Assert.StartsWith("HTTP/1.1 400", await RawRequestAsync(host.Port, $"GE(T /api/regime?code={key} HTTP/1.1\r\nHost: localhost\r\n\r\n", ct), StringComparison.Ordinal);

        // 5. The key is never logged (every category at Trace), while the requests themselves were (so the check is not vacuous).
        var logs = host.Logs.All;
        Assert.Contains("/api/regime", logs, StringComparison.Ordinal);
        Assert.Contains("/api/flows/backfill", logs, StringComparison.Ordinal);
        var leaks = host.Logs.Entries.Where(e => e.Text.Contains(key, StringComparison.Ordinal) || e.Text.Contains(wrongKey, StringComparison.Ordinal))
            .Select(e => $"{e.Level} {e.Category}: {e.Text[..Math.Min(e.Text.Length, 300)]}").Distinct(StringComparer.Ordinal).ToList();
        Assert.True(leaks.Count == 0, "the key was logged:\n" + string.Join('\n', leaks));
        Assert.DoesNotContain(key, host.Output.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Offline sources, the key, a private queue, and every log category at Trace (the console provider silenced).</summary>
    private static Dictionary<string, string?> Settings(string key, string queueName)
    {
        var settings = new Dictionary<string, string?>(LocalHostTests.Offline)
        {
            ["Tapewatch:Local:ApiKey"] = key,
            [AppSettingNames.EvaluationQueueName] = queueName,
            ["Logging:Console:LogLevel:Default"] = "None",
        };
        foreach (var category in new[] { "Default", "Microsoft", "Microsoft.AspNetCore", "Microsoft.Hosting.Lifetime", "System", "System.Net.Http", "Polly", "Tapewatch", "Tapewatch.Core", "Tapewatch.Local" })
        {
            settings["Logging:LogLevel:" + category] = "Trace";
        }

        return settings;
    }

    /// <summary>A valid request for the route (its normal input), with the key where asked.</summary>
    private static HttpRequestMessage Request(ExpectedRoute route, KeyPlacement placement, string? key, string? silenceId)
    {
        var path = route.Path
            .Replace("{id}", silenceId ?? "0123456789ab", StringComparison.Ordinal)
            .Replace("{name}", "dashboard.js", StringComparison.Ordinal);
        var query = route.Path switch
        {
            "flows" or "derivatives" or "regime/history" => "from=2025-11-01&to=2025-11-12",
            "fund-flows/weekly" when route.Method == "GET" => "from=2025-10-01&to=2025-11-12",
            "dashboard" => "days=30",
            _ => "",
        };
        if (placement == KeyPlacement.Query) query = (query.Length == 0 ? "" : query + "&") + "code=" + Uri.EscapeDataString(key!);
        var request = new HttpRequestMessage(new HttpMethod(route.Method), new Uri(path + (query.Length == 0 ? "" : "?" + query), UriKind.Relative))
        {
            Content = (route.Method, route.Path) switch
            {
                ("POST", "flows/backfill") => new StringContent(FlowsCsv, Encoding.UTF8, "text/csv"),
                ("POST", "fund-flows/weekly") => new StringContent(Week, Encoding.UTF8, "application/json"),
                ("POST", "silences") => new StringContent(Silence, Encoding.UTF8, "application/json"),
                ("POST", "evaluations") => new StringContent("""{"changedFrom":"2025-11-03"}""", Encoding.UTF8, "application/json"),
                _ => null,
            },
        };
        if (placement == KeyPlacement.Header) request.Headers.Add("x-functions-key", key);
        return request;
    }

    private static bool Succeeded(ExpectedRoute route, HttpStatusCode status) => (route.Method, route.Path) switch
    {
        ("POST", "evaluations") => status == HttpStatusCode.Accepted,
        ("POST", "silences") => status == HttpStatusCode.Created,
        ("DELETE", _) => status == HttpStatusCode.NoContent,
        ("POST", "fund-flows/weekly") => status is HttpStatusCode.Created or HttpStatusCode.OK, // 201 the first time, 200 unchanged
        _ => status == HttpStatusCode.OK,
    };

    private static async Task<string> CreateSilenceAsync(HttpClient http, string key, CancellationToken ct)
    {
        using var request = Request(RouteTable.All.Single(r => r is { Method: "POST", Path: "silences" }), KeyPlacement.Header, key, silenceId: null);
        using var response = await http.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return doc.RootElement.GetProperty("id").GetString()!;
    }

    private static async Task WaitForRegimeAsync(HttpClient http, string key, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("regime", UriKind.Relative));
            request.Headers.Add("x-functions-key", key);
            using var response = await http.SendAsync(request, ct);
            if (response.StatusCode == HttpStatusCode.OK) return;
            Assert.True(response.StatusCode == HttpStatusCode.NotFound && DateTime.UtcNow < deadline, $"no regime after the backfill: {(int)response.StatusCode}");
            await Task.Delay(200, ct);
        }
    }

    /// <summary>Sends bytes as they are (HttpClient would refuse a malformed request line) and returns the first line of the answer.</summary>
    private static async Task<string> RawRequestAsync(int port, string request, CancellationToken ct)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, ct);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), ct);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadLineAsync(ct) ?? "";
    }

    private static async Task<string> GetAsync(HttpClient http, string pathAndQuery, string key, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(pathAndQuery, UriKind.Relative));
        request.Headers.Add("x-functions-key", key);
        using var response = await http.SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {pathAndQuery}: {(int)response.StatusCode} {body}");
        return body;
    }

    private static async Task<List<JsonElement>> ArrayAsync(HttpClient http, string pathAndQuery, string property, string key, CancellationToken ct)
    {
        using var doc = JsonDocument.Parse(await GetAsync(http, pathAndQuery, key, ct));
        return [.. doc.RootElement.GetProperty(property).EnumerateArray().Select(e => e.Clone())];
    }
}
