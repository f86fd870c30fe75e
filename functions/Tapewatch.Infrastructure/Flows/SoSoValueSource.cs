using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tapewatch.Core.Flows;

namespace Tapewatch.Infrastructure.Flows;

/// <summary>
/// SoSoValue OpenAPI: <c>POST /openapi/v2/etf/historicalInflowChart</c> with <c>{"type":"us-btc-spot"}</c> and
/// the key in <c>x-soso-api-key</c>. Answers <c>{"code":0,"data":{"list":[{"date":"2024-04-12","totalNetInflow":-55066297.0,…}]}}</c>
/// (about 300 days, newest first, USD). Daily totals only: no per-fund split. Without a key it is skipped.
/// </summary>
public sealed partial class SoSoValueSource(HttpClient http, IOptions<FlowsOptions> options, ILogger<SoSoValueSource> logger) : IEtfFlowSource
{
    public const string Path = "/openapi/v2/etf/historicalInflowChart";
    public const string KeyHeader = "x-soso-api-key";

    public string Name => EtfFlowSourceNames.SoSoValue;

    public async Task<EtfFlowFetch> FetchAsync(EtfFlowQuery query, CancellationToken cancellationToken)
    {
        var o = options.Value.SoSoValue;
        if (string.IsNullOrWhiteSpace(o.ApiKey))
        {
            return EtfFlowFetch.Fail(Name, SourceOutcome.Skipped, "no API key configured (set Tapewatch__Flows__SoSoValue__ApiKey)");
        }

        var url = new Uri(o.BaseUrl, Path);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(new HistoricalInflowChartRequest(o.Type)) };
            request.Headers.TryAddWithoutValidation(KeyHeader, o.ApiKey);
            request.Headers.Accept.ParseAdd("application/json");
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.UnavailableForLegalReasons)
            {
                LogRefused(status);
                return EtfFlowFetch.Fail(Name, SourceOutcome.SourceBlocked, $"HTTP {status}: the API key was refused or access is denied");
            }

            if (!response.IsSuccessStatusCode) return EtfFlowFetch.Fail(Name, SourceOutcome.Failed, $"HTTP {status} after retries");
            var body = await FlowsHttp.ReadCappedAsync(response.Content, options.Value.Http.MaxResponseBytes, cancellationToken).ConfigureAwait(false);
            if (body is null) return EtfFlowFetch.Fail(Name, SourceOutcome.Failed, $"response larger than {options.Value.Http.MaxResponseBytes} bytes");
            return SoSoValueResponse.Parse(body, query);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailed(FlowsHttp.Describe(ex));
            return EtfFlowFetch.Fail(Name, SourceOutcome.Failed, FlowsHttp.Describe(ex));
        }
    }

    [LoggerMessage(EventId = 1330, Level = LogLevel.Warning, Message = "SoSoValue refused the request: HTTP {Status}")]
    private partial void LogRefused(int status);

    [LoggerMessage(EventId = 1331, Level = LogLevel.Warning, Message = "SoSoValue failed: {Reason}")]
    private partial void LogFailed(string reason);
}

/// <summary>The body of SoSoValue's <c>historicalInflowChart</c>: the ETF family.</summary>
internal sealed record HistoricalInflowChartRequest(string Type);
