using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Tapewatch.Core.Flows;

/// <summary>
/// SoSoValue OpenAPI: <c>POST /openapi/v2/etf/historicalInflowChart</c> with <c>{"type":"us-btc-spot"}</c> and
/// the key in <c>x-soso-api-key</c>. Answers <c>{"code":0,"data":{"list":[{"date":"2024-04-12","totalNetInflow":-55066297.0,…}]}}</c>
/// (about 300 days, newest first, USD). Daily totals only: no per-fund split. Without a key it is skipped.
/// </summary>
public sealed class SoSoValueSource(HttpClient http, IOptions<FlowsOptions> options, ILogger<SoSoValueSource> logger) : IEtfFlowSource
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
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(new { type = o.Type }) };
            request.Headers.TryAddWithoutValidation(KeyHeader, o.ApiKey);
            request.Headers.Accept.ParseAdd("application/json");
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.UnavailableForLegalReasons)
            {
                logger.LogWarning("SoSoValue refused the request: HTTP {Status}", status);
                return EtfFlowFetch.Fail(Name, SourceOutcome.SourceBlocked, $"HTTP {status}: the API key was refused or access is denied");
            }

            if (!response.IsSuccessStatusCode) return EtfFlowFetch.Fail(Name, SourceOutcome.Failed, $"HTTP {status} after retries");
            var body = await FlowsHttp.ReadCappedAsync(response.Content, options.Value.Http.MaxResponseBytes, cancellationToken).ConfigureAwait(false);
            if (body is null) return EtfFlowFetch.Fail(Name, SourceOutcome.Failed, $"response larger than {options.Value.Http.MaxResponseBytes} bytes");
            return Parse(body, query);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("SoSoValue failed: {Reason}", FlowsHttp.Describe(ex));
            return EtfFlowFetch.Fail(Name, SourceOutcome.Failed, FlowsHttp.Describe(ex));
        }
    }

    /// <summary>Parses a historicalInflowChart answer into total-only rows within the query's range.</summary>
    public static EtfFlowFetch Parse(string body, EtfFlowQuery query)
    {
        const string name = EtfFlowSourceNames.SoSoValue;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            return EtfFlowFetch.Fail(name, SourceOutcome.ParseFailed, "the answer is not JSON: " + ex.Message);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("code", out var code))
            {
                return EtfFlowFetch.Fail(name, SourceOutcome.ParseFailed, "the answer has no 'code' field");
            }

            var codeText = code.ValueKind == JsonValueKind.String ? code.GetString() : code.GetRawText();
            if (codeText != "0")
            {
                var msg = root.TryGetProperty("msg", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                return EtfFlowFetch.Fail(name, SourceOutcome.Failed, $"SoSoValue answered code {codeText}: {msg ?? "no message"}");
            }

            if (!root.TryGetProperty("data", out var data)) return EtfFlowFetch.Fail(name, SourceOutcome.ParseFailed, "the answer has no 'data' field");
            var list = data.ValueKind == JsonValueKind.Array ? data : data.ValueKind == JsonValueKind.Object && data.TryGetProperty("list", out var l) ? l : default;
            if (list.ValueKind != JsonValueKind.Array) return EtfFlowFetch.Fail(name, SourceOutcome.ParseFailed, "the answer has no 'data.list' array");

            var rows = new List<EtfFlowRow>();
            var warnings = new List<string>();
            var seen = new HashSet<DateOnly>();
            var index = 0;
            foreach (var item in list.EnumerateArray())
            {
                index++;
                if (item.ValueKind != JsonValueKind.Object
                    || !item.TryGetProperty("date", out var d) || d.ValueKind != JsonValueKind.String
                    || !DateOnly.TryParseExact(d.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    warnings.Add($"item {index}: no 'date' in yyyy-MM-dd form; skipped");
                    continue;
                }

                if (!item.TryGetProperty("totalNetInflow", out var v) || !TryDecimal(v, out var usd))
                {
                    warnings.Add($"{date:yyyy-MM-dd}: 'totalNetInflow' is missing or not a number; skipped");
                    continue;
                }

                if (!EtfFlowRow.IsUsable(usd / 1_000_000m))
                {
                    warnings.Add(string.Create(CultureInfo.InvariantCulture, $"{date:yyyy-MM-dd}: 'totalNetInflow' {usd} is beyond ±{EtfFlowRow.MaxAbsUsdM:0} US$m; skipped"));
                    continue;
                }

                if (date < query.From || date > query.To || !seen.Add(date)) continue;
                rows.Add(new EtfFlowRow(date, new Dictionary<string, decimal?>(StringComparer.Ordinal), usd / 1_000_000m));
            }

            if (rows.Count == 0 && warnings.Count > 0 && warnings.Count == index)
            {
                return EtfFlowFetch.Fail(name, SourceOutcome.ParseFailed, "no item of data.list could be read: " + warnings[0]);
            }

            return new EtfFlowFetch { Source = name, Outcome = SourceOutcome.Ok, Rows = rows.OrderBy(r => r.Date).ToList(), Warnings = warnings, TotalsOnly = true };
        }
    }

    private static bool TryDecimal(JsonElement e, out decimal value)
    {
        value = 0;
        return e.ValueKind switch
        {
            JsonValueKind.Number => e.TryGetDecimal(out value),
            JsonValueKind.String => decimal.TryParse(e.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value),
            _ => false,
        };
    }
}
