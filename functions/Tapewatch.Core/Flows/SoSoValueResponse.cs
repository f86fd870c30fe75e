using System.Globalization;
using System.Text.Json;

namespace Tapewatch.Core.Flows;

/// <summary>
/// A SoSoValue <c>historicalInflowChart</c> answer: <c>{"code":0,"data":{"list":[{"date":"2024-04-12","totalNetInflow":-55066297.0,…}]}}</c>
/// (newest first, USD), read into total-only rows in US$ millions.
/// </summary>
public static class SoSoValueResponse
{
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

                // Declared before the conditions, so that they are assigned whatever the conditions' operators (a mutation
                // test that turns '||' into '&&' must still compile, or every mutant of this method goes unscored).
                var d = default(JsonElement);
                var date = default(DateOnly);
                var v = default(JsonElement);
                var usd = 0m;
                if (item.ValueKind != JsonValueKind.Object
                    || !item.TryGetProperty("date", out d) || d.ValueKind != JsonValueKind.String
                    || !DateOnly.TryParseExact(d.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
                {
                    warnings.Add($"item {index}: no 'date' in yyyy-MM-dd form; skipped");
                    continue;
                }

                if (!item.TryGetProperty("totalNetInflow", out v) || !TryDecimal(v, out usd))
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
