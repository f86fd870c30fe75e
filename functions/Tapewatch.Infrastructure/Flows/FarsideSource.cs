using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tapewatch.Core.Time;
using Tapewatch.Core.Flows;

namespace Tapewatch.Infrastructure.Flows;

/// <summary>
/// Farside's HTML table: /btc/ for recent days, the all-data page for older backfills. Farside sits behind
/// Cloudflare: 401/403/451, or a challenge page (any status, e.g. 503 or 200 "Just a moment…"), is
/// <see cref="SourceOutcome.SourceBlocked"/>; a table we cannot read is <see cref="SourceOutcome.ParseFailed"/>.
/// </summary>
public sealed partial class FarsideSource(HttpClient http, IOptions<FlowsOptions> options, TimeProvider time, ILogger<FarsideSource> logger) : IEtfFlowSource
{
    public string Name => EtfFlowSourceNames.Farside;

    public Uri UrlFor(EtfFlowQuery query)
    {
        var o = options.Value.Farside;
        var today = NewYorkTime.DateOf(time.GetUtcNow());
        var recent = query.From >= today.AddDays(-o.RecentDays);
        return new Uri(o.BaseUrl, recent ? o.RecentPath : o.AllDataPath);
    }

    public async Task<EtfFlowFetch> FetchAsync(EtfFlowQuery query, CancellationToken cancellationToken)
    {
        var url = UrlFor(query);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.ParseAdd("text/html");
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var body = await FlowsHttp.ReadCappedAsync(response.Content, options.Value.Http.MaxResponseBytes, cancellationToken).ConfigureAwait(false);
            return Classify(url, response, body);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailed(url, FlowsHttp.Describe(ex));
            return EtfFlowFetch.Fail(Name, SourceOutcome.Failed, $"{url.AbsolutePath}: {FlowsHttp.Describe(ex)}");
        }
    }

    private EtfFlowFetch Classify(Uri url, HttpResponseMessage response, string? body)
    {
        var status = (int)response.StatusCode;
        var challenge = response.Headers.TryGetValues("cf-mitigated", out _) || (body is not null && FarsideChallenge.IsChallenge(body));
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.UnavailableForLegalReasons || challenge)
        {
            var why = challenge ? "Cloudflare challenge page" : "access refused";
            LogBlocked(url, status, why);
            return EtfFlowFetch.Fail(Name, SourceOutcome.SourceBlocked, $"{url.AbsolutePath}: HTTP {status}, {why}");
        }

        if (!response.IsSuccessStatusCode)
        {
            return EtfFlowFetch.Fail(Name, SourceOutcome.Failed, $"{url.AbsolutePath}: HTTP {status} after retries");
        }

        if (body is null)
        {
            return EtfFlowFetch.Fail(Name, SourceOutcome.Failed, $"{url.AbsolutePath}: response larger than {options.Value.Http.MaxResponseBytes} bytes");
        }

        var parsed = FarsideHtmlParser.Parse(body);
        if (!parsed.Succeeded)
        {
            LogUnparseable(url, parsed.Error);
            return EtfFlowFetch.Fail(Name, SourceOutcome.ParseFailed, $"{url.AbsolutePath}: {parsed.Error}");
        }

        return new EtfFlowFetch { Source = Name, Outcome = SourceOutcome.Ok, Rows = parsed.Rows, Warnings = parsed.Warnings };
    }

    [LoggerMessage(EventId = 1320, Level = LogLevel.Warning, Message = "Farside {Url} failed: {Reason}")]
    private partial void LogFailed(Uri url, string reason);

    [LoggerMessage(EventId = 1321, Level = LogLevel.Warning, Message = "Farside {Url} blocked: HTTP {Status} ({Why})")]
    private partial void LogBlocked(Uri url, int status, string why);

    [LoggerMessage(EventId = 1322, Level = LogLevel.Warning, Message = "Farside {Url} could not be parsed: {Error}")]
    private partial void LogUnparseable(Uri url, string? error);
}
