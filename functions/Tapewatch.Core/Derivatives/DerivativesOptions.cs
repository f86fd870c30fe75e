using System.ComponentModel.DataAnnotations;

namespace Tapewatch.Core.Derivatives;

/// <summary>Bound from "Tapewatch:Derivatives" (app settings <c>Tapewatch__Derivatives__…</c>).</summary>
public sealed class DerivativesOptions : IValidatableObject
{
    public const string SectionName = "Tapewatch:Derivatives";

    public BinanceOptions Binance { get; set; } = new();

    public VenueOptions Okx { get; set; } = new() { BaseUrl = new Uri("https://www.okx.com") };

    public VenueOptions Bybit { get; set; } = new() { BaseUrl = new Uri("https://api.bybit.com") };

    public VenueOptions Deribit { get; set; } = new() { BaseUrl = new Uri("https://www.deribit.com") };

    public KrakenOptions Kraken { get; set; } = new();

    /// <summary>Optional aggregates; read only when <see cref="CoinalyzeOptions.ApiKey"/> is set.</summary>
    public CoinalyzeOptions Coinalyze { get; set; } = new();

    public CftcOptions Cftc { get; set; } = new();

    public BtcCloseOptions BtcClose { get; set; } = new();

    public DerivativesHttpOptions Http { get; set; } = new();

    /// <summary>Constant90 (interpolated to 90 days) or Nearest90.</summary>
    public BasisMethod BasisMethod { get; set; } = BasisMethod.Constant90;

    /// <summary>Quarterlies closer to expiry than this are excluded from the basis.</summary>
    [Range(0, 60)]
    public decimal MinBasisDays { get; set; } = 7m;

    /// <summary>A normalised funding rate beyond ± this per 8h is rejected as a unit error (0.005 = 0.5 %).</summary>
    [Range(0.0001, 0.1)]
    public decimal MaxAbsFundingRate8h { get; set; } = 0.005m;

    /// <summary>A venue whose data is further than this from the reading's time is left out of the composite.</summary>
    [Range(5, 1440)]
    public int MaxVenueAgeMinutes { get; set; } = 120;

    /// <summary>The daily snapshot of a session is taken from a reading at most this long after its 16:00 New York close.</summary>
    [Range(10, 1440)]
    public int SnapshotWindowMinutes { get; set; } = 360;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, uri) in new[]
        {
            ("Binance:UsdMarginedBaseUrl", Binance.UsdMarginedBaseUrl), ("Binance:CoinMarginedBaseUrl", Binance.CoinMarginedBaseUrl),
            ("Okx:BaseUrl", Okx.BaseUrl), ("Bybit:BaseUrl", Bybit.BaseUrl), ("Deribit:BaseUrl", Deribit.BaseUrl), ("Kraken:BaseUrl", Kraken.BaseUrl), ("Coinalyze:BaseUrl", Coinalyze.BaseUrl),
            ("Cftc:BaseUrl", Cftc.BaseUrl), ("BtcClose:BaseUrl", BtcClose.BaseUrl),
        })
        {
            if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                yield return new ValidationResult($"Tapewatch:Derivatives:{name} must be an absolute http(s) URL.");
            }
        }

        if (Kraken.FundingIntervalHours is <= 0 or > 24) yield return new ValidationResult("Tapewatch:Derivatives:Kraken:FundingIntervalHours must be 1–24.");
        if (Coinalyze.FundingIntervalHours is <= 0 or > 24) yield return new ValidationResult("Tapewatch:Derivatives:Coinalyze:FundingIntervalHours must be 1–24.");
        if (Coinalyze.SymbolList().Count is 0 or > 20) yield return new ValidationResult("Tapewatch:Derivatives:Coinalyze:Symbols must name 1–20 comma-separated symbols.");
        if (BtcClose.BackfillSessions is < 0 or > 400) yield return new ValidationResult("Tapewatch:Derivatives:BtcClose:BackfillSessions must be 0–400.");
        if (Cftc.MaxReportAgeDays is < 7 or > 60) yield return new ValidationResult("Tapewatch:Derivatives:Cftc:MaxReportAgeDays must be 7–60.");
        if (Http.MaxRetries is < 0 or > 6 || Http.AttemptTimeoutSeconds is < 1 or > 120 || Http.TotalTimeoutSeconds < Http.AttemptTimeoutSeconds || Http.RetryBaseDelayMilliseconds is < 1 or > 30_000 || Http.MaxRetryDelaySeconds is < 1 or > 120)
        {
            yield return new ValidationResult("Tapewatch:Derivatives:Http: retries 0–6, attempt timeout 1–120 s ≤ total timeout, base delay 1–30000 ms, max delay 1–120 s.");
        }
    }
}

public class VenueOptions
{
    public bool Enabled { get; set; } = true;

    public Uri BaseUrl { get; set; } = new("https://example.invalid");
}

public sealed class BinanceOptions
{
    /// <summary>Binance answers 451 to US cloud regions: disable it there (Tapewatch__Derivatives__Binance__Enabled=false).</summary>
    public bool Enabled { get; set; } = true;

    public Uri UsdMarginedBaseUrl { get; set; } = new("https://fapi.binance.com");

    public Uri CoinMarginedBaseUrl { get; set; } = new("https://dapi.binance.com");
}

public sealed class KrakenOptions : VenueOptions
{
    public KrakenOptions() => BaseUrl = new Uri("https://futures.kraken.com");

    /// <summary>Kraken Futures perpetuals settle funding every hour.</summary>
    public decimal FundingIntervalHours { get; set; } = 1m;
}

public sealed class CoinalyzeOptions : VenueOptions
{
    public CoinalyzeOptions() => BaseUrl = new Uri("https://api.coinalyze.net/v1");

    /// <summary>Sent as the <c>api_key</c> header; a Key Vault reference in Azure. Unset: the venue is skipped (not a failure).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Comma-separated Coinalyze perpetual symbols aggregated together (at most 20 per request).</summary>
    public string Symbols { get; set; } = "BTCUSDT_PERP.A,BTCUSD_PERP.A,BTCUSDT_PERP.6,BTCUSD_PERP.6,BTCUSDT_PERP.3,BTCUSD_PERP.3";

    /// <summary>The funding interval of the configured markets (the API states the rate per interval, in percent).</summary>
    public decimal FundingIntervalHours { get; set; } = 8m;

    public IReadOnlyList<string> SymbolList() =>
        (Symbols ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>Never prints the key.</summary>
    public override string ToString() => $"Coinalyze {BaseUrl} key {(string.IsNullOrWhiteSpace(ApiKey) ? "unset" : "set")}";
}

public sealed class CftcOptions : VenueOptions
{
    public CftcOptions() => BaseUrl = new Uri("https://publicreporting.cftc.gov");

    /// <summary>Socrata dataset of the legacy futures-only Commitments of Traders.</summary>
    public string Dataset { get; set; } = "6dca-aqww";

    /// <summary>A report older than this (as of its Tuesday) is not used for a snapshot.</summary>
    public int MaxReportAgeDays { get; set; } = 14;
}

public sealed class BtcCloseOptions : VenueOptions
{
    public BtcCloseOptions() => BaseUrl = new Uri("https://api.exchange.coinbase.com");

    public string Product { get; set; } = "BTC-USD";

    /// <summary>How many past sessions the close job checks for a missing BTC close.</summary>
    public int BackfillSessions { get; set; } = 10;
}

public sealed class DerivativesHttpOptions
{
    public int MaxRetries { get; set; } = 3;

    public int RetryBaseDelayMilliseconds { get; set; } = 1000;

    /// <summary>Cap on a backoff or Retry-After delay.</summary>
    public int MaxRetryDelaySeconds { get; set; } = 20;

    public int AttemptTimeoutSeconds { get; set; } = 10;

    public int TotalTimeoutSeconds { get; set; } = 45;
}
