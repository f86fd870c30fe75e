using System.CommandLine;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Tapewatch.Core.Alerts;
using Tapewatch.Infrastructure.Alerts;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.IntegrationTests.Foundation;
using Tapewatch.Local.Commands;
using Tapewatch.Local.Hosting;
using Tapewatch.TestSupport;

namespace Tapewatch.IntegrationTests.Alerts;

/// <summary>Silences over the local host's HTTP API (same handlers as the Function app) and the CLI.</summary>
public sealed class SilenceApiTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Silences_are_created_listed_and_removed_over_HTTP_with_problem_details_for_bad_input()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var port = LocalHostTests.FreePort();
        var host = new LocalHost(new LocalHostOptions { Port = port, StorageConnectionString = azurite.ConnectionString, RunStartupCycle = false, EnableScheduler = false }, TextWriter.Null, TextWriter.Null);
        var running = host.RunAsync(cts.Token);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://localhost:{port}/api/") };
            await LocalHostTests.PollAsync(http, new Uri($"http://localhost:{port}/api/health"), cts.Token);

            var created = await http.PostAsync("silences", Json("""{"matchers":["scenario=Caution","event!=Resolved"],"duration":"2d","comment":"known outflows week","createdBy":"desk"}"""), cts.Token);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            using var silence = JsonDocument.Parse(await created.Content.ReadAsStringAsync(cts.Token));
            var id = silence.RootElement.GetProperty("id").GetString()!;
            Assert.Equal("active", silence.RootElement.GetProperty("status").GetString());
            Assert.Equal(["scenario=Caution", "event!=Resolved"], silence.RootElement.GetProperty("matchers").EnumerateArray().Select(m => m.GetString()!).ToArray());

            var list = await http.GetStringAsync("silences", cts.Token);
            Assert.Contains(id, list, StringComparison.Ordinal);

            var bad = await http.PostAsync("silences", Json("""{"matchers":["colour=red"],"duration":"2d","comment":"x"}"""), cts.Token);
            await AssertProblemAsync(bad, HttpStatusCode.BadRequest, "matchers[0]", cts.Token);
            var noComment = await http.PostAsync("silences", Json("""{"matchers":["scenario=Caution"],"until":"2099-01-01T00:00:00Z"}"""), cts.Token);
            await AssertProblemAsync(noComment, HttpStatusCode.BadRequest, "until", cts.Token);
            var notJson = await http.PostAsync("silences", Json("""{"matchers":"""), cts.Token);
            await AssertProblemAsync(notJson, HttpStatusCode.BadRequest, null, cts.Token);
            var huge = await http.PostAsync("silences", Json("{\"comment\":\"" + new string('x', 20_000) + "\"}"), cts.Token);
            await AssertProblemAsync(huge, HttpStatusCode.RequestEntityTooLarge, "body", cts.Token);
            var badStatus = await http.GetAsync(new Uri("silences?status=sleeping", UriKind.Relative), cts.Token);
            await AssertProblemAsync(badStatus, HttpStatusCode.BadRequest, "status", cts.Token);

            await AssertProblemAsync(await http.DeleteAsync(new Uri("silences/not-an-id", UriKind.Relative), cts.Token), HttpStatusCode.BadRequest, "id", cts.Token);
            await AssertProblemAsync(await http.DeleteAsync(new Uri("silences/0123456789ab", UriKind.Relative), cts.Token), HttpStatusCode.NotFound, null, cts.Token);
            Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync(new Uri("silences/" + id, UriKind.Relative), cts.Token)).StatusCode);
            Assert.DoesNotContain(id, await http.GetStringAsync("silences", cts.Token), StringComparison.Ordinal);

            // The CLI against the running host's API.
            var comment = "cli over http " + Guid.NewGuid().ToString("N")[..8];
            Assert.Equal(0, await CliAsync("silence", "add", "-m", "dataset=etf-flows", "--for", "3h", "-c", comment, "--url", $"http://localhost:{port}"));
            Assert.Contains(comment, await http.GetStringAsync("silences", cts.Token), StringComparison.Ordinal);
            Assert.Equal(2, await CliAsync("silence", "add", "-m", "nope=1", "--for", "3h", "-c", "x", "--url", $"http://localhost:{port}"));
        }
        finally
        {
            await cts.CancelAsync();
            Assert.Equal(0, await running);
        }
    }

    [Fact]
    public async Task Cli_adds_lists_and_removes_silences_in_storage()
    {
        var ct = TestContext.Current.CancellationToken;
        var comment = "cli test " + Guid.NewGuid().ToString("N")[..8];
        var until = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(10), TimeSpan.Zero);
        var untilText = until.ToString("yyyy-MM-dd'T'HH:mm'Z'", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0, await CliAsync("silence", "add", "--match", "scenario=Snapback", "--match", "event=Resolved", "--until", untilText, "--comment", comment, "--storage", azurite.ConnectionString));

        var store = new SilenceStore(new TapewatchStorage(Options.Create(new StorageOptions { ConnectionString = azurite.ConnectionString }), new ConfigurationBuilder().Build()), TimeProvider.System);
        var silence = Assert.Single(await store.ListAsync(ct), s => s.Comment == comment);
        Assert.Equal(["scenario=Snapback", "event=Resolved"], silence.Matchers.Select(m => m.ToString()).ToArray());
        Assert.Equal(until, silence.EndsUtc);

        Assert.Equal(0, await CliAsync("silence", "list", "--json", "--storage", azurite.ConnectionString));
        Assert.Equal(2, await CliAsync("silence", "add", "--match", "scenario=Snapback", "--for", "3d", "--storage", azurite.ConnectionString)); // no comment
        Assert.Equal(2, await CliAsync("silence", "add", "--match", "scenario=Snapback", "--for", "3d", "--until", untilText, "-c", "x", "--storage", azurite.ConnectionString));
        Assert.Equal(0, await CliAsync("silence", "remove", silence.Id, "--storage", azurite.ConnectionString));
        Assert.Equal(1, await CliAsync("silence", "remove", silence.Id, "--storage", azurite.ConnectionString));
        Assert.DoesNotContain(await store.ListAsync(ct), s => s.Id == silence.Id);
    }

    private static Task<int> CliAsync(params string[] args) => new RootCommand { SilenceCommand.Create() }.Parse(args).InvokeAsync();

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? parameter, CancellationToken ct)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        if (parameter is not null) Assert.Equal(parameter, doc.RootElement.GetProperty("parameter").GetString());
        Assert.False(string.IsNullOrEmpty(doc.RootElement.GetProperty("detail").GetString()));
    }
}
