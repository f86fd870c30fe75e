using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;
using Tapewatch.Infrastructure.Ingestion;
using Tapewatch.Core.Weekly;
using Tapewatch.Infrastructure.Http;

namespace Tapewatch.Infrastructure.Weekly;

/// <summary>The feed's bytes, or why there are none (outcome + safe message).</summary>
public sealed record FeedFetch(byte[]? Body, RunOutcome Outcome, string? Error)
{
    public static FeedFetch Ok(byte[] body) => new(body, RunOutcome.Succeeded, null);

    public static FeedFetch Fail(RunOutcome outcome, string error) => new(null, outcome, error);
}

/// <summary>
/// Typed HttpClient for the CoinShares research-blog feed. Retries, timeouts and Retry-After live in
/// its one resilience pipeline (see <see cref="WeeklyServiceCollectionExtensions"/>); this class maps
/// answers to outcomes and caps the body size.
/// </summary>
public sealed partial class CoinSharesFeedClient(HttpClient http, IOptions<WeeklyFlowsOptions> options, ILogger<CoinSharesFeedClient> logger)
{
    public const string UserAgent = Hosting.AppIdentity.UserAgent;

    public async Task<FeedFetch> FetchAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var host = o.FeedUrl.Host;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, o.FeedUrl);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.UnavailableForLegalReasons)
            {
                return FeedFetch.Fail(RunOutcome.SourceBlocked, $"{host} refused the request: HTTP {(int)response.StatusCode}");
            }

            if (!response.IsSuccessStatusCode)
            {
                return FeedFetch.Fail(RunOutcome.Failed, $"{host} answered HTTP {(int)response.StatusCode}");
            }

            if (response.Content.Headers.ContentLength > o.MaxFeedBytes)
            {
                return FeedFetch.Fail(RunOutcome.ParseFailed, $"the feed is {response.Content.Headers.ContentLength} bytes, above the cap of {o.MaxFeedBytes}");
            }

            var body = await CappedBody.ReadAsync(response.Content, o.MaxFeedBytes, cancellationToken).ConfigureAwait(false);
            if (body is null) return FeedFetch.Fail(RunOutcome.ParseFailed, $"the feed is larger than the cap of {o.MaxFeedBytes} bytes");
            if (IsHtml(response.Content.Headers.ContentType))
            {
                var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 64 * 1024));
                return text.Contains("Just a moment", StringComparison.OrdinalIgnoreCase) || text.Contains("challenge-platform", StringComparison.OrdinalIgnoreCase)
                    ? FeedFetch.Fail(RunOutcome.SourceBlocked, $"{host} answered a bot challenge page instead of the feed")
                    : FeedFetch.Fail(RunOutcome.ParseFailed, $"{host} answered an HTML page, not the feed");
            }

            LogFetched(body.Length, host);
            return FeedFetch.Ok(body);
        }
        catch (Exception ex) when (ex is TimeoutRejectedException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return FeedFetch.Fail(RunOutcome.Failed, $"{host} timed out");
        }
        catch (HttpRequestException ex)
        {
            LogFailed(ex, host);
            return FeedFetch.Fail(RunOutcome.Failed, $"{host} could not be reached: {ex.HttpRequestError}");
        }
    }

    private static bool IsHtml(MediaTypeHeaderValue? type) =>
        type?.MediaType is { } m && (m.Equals("text/html", StringComparison.OrdinalIgnoreCase) || m.Equals("application/xhtml+xml", StringComparison.OrdinalIgnoreCase));

    [LoggerMessage(EventId = 1400, Level = LogLevel.Debug, Message = "Weekly flows: fetched {Bytes} bytes from {Host}")]
    private partial void LogFetched(int bytes, string host);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "Weekly flows: {Host} could not be reached")]
    private partial void LogFailed(Exception exception, string host);
}
