using System.Globalization;
using System.Text.Json;

namespace Tapewatch.Core.Derivatives.Venues;

/// <summary>
/// Coinalyze (https://api.coinalyze.net/v1), optional: read only when <c>Tapewatch:Derivatives:Coinalyze:ApiKey</c> is
/// set (the key travels as the <c>api_key</c> header, set on the typed client; it is never part of a URL, a recording
/// name or a message). Current open interest (<c>/open-interest?symbols=…&amp;convert_to_usd=true</c>, USD) and current
/// funding (<c>/funding-rate?symbols=…</c>, percent per the market's interval) over the configured perpetuals, each
/// answered as <c>[{"symbol","value","update"}]</c> (update in Unix ms). Open interest is summed; funding is the
/// USD-OI-weighted mean, converted from percent to a fraction and scaled to 8 h.
/// <para>
/// Its figures aggregate exchanges the other venues already read, so it is reported alongside and never joins the
/// offshore open-interest total or the funding composite (that would double count); the composite converts its USD
/// open interest to BTC at the composite index when one is available.
/// </para>
/// </summary>
public sealed class CoinalyzeVenue : DerivativesVenue
{
    public const string VenueName = "coinalyze";

    /// <summary>Names the symbol part of a recording: <c>coinalyze_open-interest_BTC.json</c>.</summary>
    public const string RecordedSymbol = "BTC";

    public override string Name => VenueName;

    /// <summary>Why the venue is not read (no key, or disabled), or null when it is.</summary>
    public static string? SkipReason(DerivativesOptions options) =>
        !options.Coinalyze.Enabled ? "coinalyze: skipped: disabled (Tapewatch:Derivatives:Coinalyze:Enabled=false)"
        : string.IsNullOrWhiteSpace(options.Coinalyze.ApiKey) ? "coinalyze: skipped: no API key configured (Tapewatch:Derivatives:Coinalyze:ApiKey); optional, not a failure"
        : null;

    public override async Task<VenueReading> ReadAsync(IVenueDocuments documents, DerivativesOptions options, CancellationToken cancellationToken)
    {
        var o = options.Coinalyze;
        var symbols = o.SymbolList();
        var joined = string.Join(',', symbols);
        var parts = new Parts(Name);
        var oi = await parts.TryAsync("open-interest", async () => Parse(await documents.GetAsync(Request(o.BaseUrl, "/open-interest", RecordedSymbol, ("symbols", joined), ("convert_to_usd", "true")), cancellationToken).ConfigureAwait(false), "open-interest")).ConfigureAwait(false);
        var funding = await parts.TryAsync("funding-rate", async () => Parse(await documents.GetAsync(Request(o.BaseUrl, "/funding-rate", RecordedSymbol, ("symbols", joined)), cancellationToken).ConfigureAwait(false), "funding-rate")).ConfigureAwait(false);

        var oiRows = Plausible(oi, "open-interest", VenueBounds.IsOpenInterestUsd, parts)?.Where(r => symbols.Contains(r.Symbol, StringComparer.OrdinalIgnoreCase)).ToList() ?? [];
        if (oi is not null && oiRows.Count == 0) parts.Reject("open-interest: none of the configured symbols in the answer");
        decimal? oiUsd = oiRows.Count == 0 ? null : parts.Plausible(Math.Round(oiRows.Sum(r => r.Value), 0), "open-interest total", VenueBounds.IsOpenInterestUsd);

        // Funding in percent: 100 % per period is already beyond any market (and keeps the weighted mean in range).
        var fundingRows = Plausible(funding, "funding-rate", v => VenueBounds.IsFundingRatePerPeriod(v / 100m), parts);
        var (rate8h, fundingAt, fundingNote) = Funding(fundingRows, oiRows, symbols, o.FundingIntervalHours, options.MaxAbsFundingRate8h);
        if (fundingNote is not null)
        {
            if (rate8h is null) parts.Reject(fundingNote);
            else parts.Note(fundingNote);
        }

        var times = oiRows.Select(r => r.Update).Concat(fundingAt is { } f ? [f] : []).ToList();
        if (times.Count == 0) throw parts.Nothing();
        var reading = new VenueReading
        {
            Venue = Name,
            AsOfUtc = times.Max(),
            FundingRate8h = rate8h,
            FundingTimeUtc = rate8h is null ? null : fundingAt,
            FundingIntervalHours = rate8h is null ? null : o.FundingIntervalHours,
            OpenInterestUsd = oiUsd,
            ReportedAlongside = true,
            Partial = parts.Failed,
            Notes =
            [
                .. parts.Notes,
                string.Create(CultureInfo.InvariantCulture, $"aggregate of {string.Join(", ", symbols)}: reported alongside, not in the offshore open interest or funding composite (it aggregates venues already counted)"),
            ],
        };
        parts.EnsureTime(reading.AsOfUtc);
        if (reading.FundingRate8h is null && reading.OpenInterestUsd is null) throw parts.Nothing();
        return reading;
    }

    public sealed record Row(string Symbol, decimal Value, DateTimeOffset Update);

    /// <summary>The rows whose value a market can have (the others left out with a note); null stays null.</summary>
    private static List<Row>? Plausible(IReadOnlyList<Row>? rows, string what, Func<decimal, bool> within, Parts parts) =>
        rows?.Where(r => parts.Plausible(r.Value, $"{what} {r.Symbol}", within) is not null).ToList();

    /// <summary>A Coinalyze current-value answer: a list of {symbol, value (string or number), update (Unix ms)}.</summary>
    public static IReadOnlyList<Row> Parse(string json, string what)
    {
        var label = "coinalyze " + what;
        using var doc = VenueJson.Parse(json, label);
        var root = doc.RootElement;
        if (root.ValueKind == JsonValueKind.Object && VenueJson.String(root, "message") is { } message)
        {
            throw new VenueFormatException($"{label}: error {Truncate(message)}");
        }

        var rows = VenueJson.Array(root, label).EnumerateArray()
            .Select(x => new Row(
                VenueJson.String(x, "symbol") ?? throw new VenueFormatException($"{label}: 'symbol' is missing"),
                VenueJson.RequiredDecimal(x, "value", label),
                VenueJson.Millis(x, "update") ?? throw new VenueFormatException($"{label}: 'update' is missing")))
            .ToList();
        if (rows.Count == 0) throw new VenueFormatException($"{label}: empty list");
        return rows;
    }

    /// <summary>
    /// Funding in percent per <paramref name="intervalHours"/> → a fraction per 8 h, weighted by each symbol's USD open
    /// interest (a simple mean when none is known); null and the reason when nothing usable or implausible.
    /// </summary>
    public static (decimal? Rate8h, DateTimeOffset? At, string? Note) Funding(IReadOnlyList<Row>? funding, IReadOnlyList<Row> openInterest, IReadOnlyList<string> symbols, decimal intervalHours, decimal maxAbsRate8h)
    {
        if (funding is null) return (null, null, null);
        var rows = funding.Where(r => symbols.Contains(r.Symbol, StringComparer.OrdinalIgnoreCase)).ToList();
        if (rows.Count == 0) return (null, null, "funding rejected: none of the configured symbols in the answer");
        if (intervalHours <= 0) return (null, null, "funding rejected: no funding interval configured");
        var weights = rows.Select(r => openInterest.FirstOrDefault(o => string.Equals(o.Symbol, r.Symbol, StringComparison.OrdinalIgnoreCase))?.Value ?? 0m).ToList();
        var weighted = weights.All(w => w > 0);
        var at = rows.Max(r => r.Update);
        decimal percent, per8h;
        try
        {
            percent = weighted
                ? rows.Zip(weights, (r, w) => r.Value * w).Sum() / weights.Sum()
                : rows.Average(r => r.Value);
            per8h = percent / 100m * 8m / intervalHours;
        }
        catch (OverflowException)
        {
            return (null, at, "funding rejected: the rates or open interest are out of range");
        }

        if (Math.Abs(per8h) > maxAbsRate8h)
        {
            return (null, at, string.Create(CultureInfo.InvariantCulture, $"funding rejected: {percent:0.######} % per {intervalHours:0.#}h is {per8h:0.######} per 8h, beyond the plausible ±{maxAbsRate8h}"));
        }

        return (Math.Round(per8h, 10), at, weighted ? null : "funding: simple mean (open interest missing for a symbol)");
    }

    private static string Truncate(string s) => s.Length > 120 ? s[..120] + "…" : s;
}
