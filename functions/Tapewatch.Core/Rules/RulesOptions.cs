using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Tapewatch.Core.Rules;

/// <summary>
/// Thresholds, streak lengths and freshness limits of the scenario rules (DESIGN §3 defaults). Bound from
/// "Tapewatch:Rules" (app settings <c>Tapewatch__Rules__Rebuild__MinDailyFlowUsdM</c> …). Flows are US$ millions,
/// basis and funding annualised percent (8 = 8 %).
/// </summary>
public sealed class RulesOptions : IValidatableObject
{
    public const string SectionName = "Tapewatch:Rules";

    [ValidateObjectMembers]
    public RebuildRuleOptions Rebuild { get; set; } = new();

    [ValidateObjectMembers]
    public CautionRuleOptions Caution { get; set; } = new();

    [ValidateObjectMembers]
    public SnapbackRuleOptions Snapback { get; set; } = new();

    [ValidateObjectMembers]
    public StabilizingRuleOptions Stabilizing { get; set; } = new();

    [ValidateObjectMembers]
    public EtfLedRuleOptions EtfLed { get; set; } = new();

    [ValidateObjectMembers]
    public DeleveragingRuleOptions Deleveraging { get; set; } = new();

    [ValidateObjectMembers]
    public ResetRuleOptions Reset { get; set; } = new();

    [ValidateObjectMembers]
    public FreshnessOptions Freshness { get; set; } = new();

    /// <summary>
    /// False (default): a provisional session (some funds still "-") counts with its published total and the
    /// evaluation is marked provisional. True: a provisional session counts as missing (its conditions unknown).
    /// </summary>
    public bool TreatProvisionalAsUnknown { get; set; }

    /// <summary>The rules between two settings of a section; each setting's own range is checked by its attribute.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Stabilizing.MinDailyFlowUsdM > Stabilizing.MaxDailyFlowUsdM)
        {
            yield return new ValidationResult("Tapewatch:Rules:Stabilizing:MinDailyFlowUsdM must not exceed Tapewatch:Rules:Stabilizing:MaxDailyFlowUsdM.");
        }

        if (Deleveraging.MinBasisPct > Deleveraging.MaxBasisPct)
        {
            yield return new ValidationResult("Tapewatch:Rules:Deleveraging:MinBasisPct must not exceed Tapewatch:Rules:Deleveraging:MaxBasisPct.");
        }
    }
}

/// <summary>Rebuild: last N sessions each ≥ MinDailyFlowUsdM; basis ≥ MinBasisPct and rising; OI rebuilding; funding ≤ MaxFundingPct.</summary>
public sealed class RebuildRuleOptions
{
    [Range(typeof(decimal), "0", "100000")]
    public decimal MinDailyFlowUsdM { get; set; } = 200m;

    [Range(1, 20)]
    public int StreakSessions { get; set; } = 3;

    [Range(typeof(decimal), "-100", "1000")]
    public decimal MinBasisPct { get; set; } = 8m;

    [Range(typeof(decimal), "-1000", "1000")]
    public decimal MaxFundingPct { get; set; } = 10m;
}

/// <summary>Caution: last N sessions each &lt; MaxDailyFlowUsdM (strictly); CoinShares week ≤ MaxCoinSharesWeekUsdM; basis ≤ MaxBasisPct; offshore OI falling.</summary>
public sealed class CautionRuleOptions
{
    [Range(typeof(decimal), "-100000", "0")]
    public decimal MaxDailyFlowUsdM { get; set; } = 0m;

    [Range(1, 20)]
    public int StreakSessions { get; set; } = 4;

    [Range(typeof(decimal), "-1000000", "0")]
    public decimal MaxCoinSharesWeekUsdM { get; set; } = -1000m;

    [Range(typeof(decimal), "-100", "1000")]
    public decimal MaxBasisPct { get; set; } = 3m;
}

/// <summary>Snapback: latest session ≥ MinDailyFlowUsdM; the week's ledger flips to inflow; basis ≥ MinBasisPct; risk flag funding ≥ RiskFundingPct.</summary>
public sealed class SnapbackRuleOptions
{
    [Range(typeof(decimal), "0", "100000")]
    public decimal MinDailyFlowUsdM { get; set; } = 750m;

    [Range(typeof(decimal), "-100", "1000")]
    public decimal MinBasisPct { get; set; } = 12m;

    [Range(typeof(decimal), "-1000", "1000")]
    public decimal RiskFundingPct { get; set; } = 20m;
}

/// <summary>Stabilizing: latest session in [Min, Max] while the previous week summed &lt; 0.</summary>
public sealed class StabilizingRuleOptions
{
    [Range(typeof(decimal), "-100000", "100000")]
    public decimal MinDailyFlowUsdM { get; set; } = 150m;

    [Range(typeof(decimal), "-100000", "100000")]
    public decimal MaxDailyFlowUsdM { get; set; } = 300m;
}

/// <summary>ETF-led: US ETF weekly sum ÷ CoinShares global weekly total ≥ MinRatio (same sign).</summary>
public sealed class EtfLedRuleOptions
{
    [Range(typeof(decimal), "0.01", "100")]
    public decimal MinRatio { get; set; } = 0.8m;
}

/// <summary>Deleveraging: basis in [MinBasisPct, MaxBasisPct], funding lower than LookbackSessions ago, offshore OI falling.</summary>
public sealed class DeleveragingRuleOptions
{
    [Range(typeof(decimal), "-100", "1000")]
    public decimal MinBasisPct { get; set; } = 4m;

    [Range(typeof(decimal), "-100", "1000")]
    public decimal MaxBasisPct { get; set; } = 6m;

    [Range(1, 60)]
    public int LookbackSessions { get; set; } = 5;
}

/// <summary>Reset: one of the last two completed weeks summed ≤ MaxWeekUsdM.</summary>
public sealed class ResetRuleOptions
{
    [Range(typeof(decimal), "-1000000", "0")]
    public decimal MaxWeekUsdM { get; set; } = -1000m;
}

/// <summary>How old each dataset may be before its conditions become unknown.</summary>
public sealed class FreshnessOptions
{
    /// <summary>
    /// ETF flows are stale when the session after the latest stored one closed more than this many hours ago
    /// and is still missing (issuers report into the next morning).
    /// </summary>
    [Range(1, 240)]
    public int EtfFlowsGraceHours { get; set; } = 18;

    /// <summary>The latest CoinShares week (by its week-ending Friday) may be this many days older than the as-of session.</summary>
    [Range(3, 60)]
    public int WeeklyFlowsMaxAgeDays { get; set; } = 11;

    /// <summary>The derivatives reading may be this many sessions older than the as-of session.</summary>
    [Range(0, 20)]
    public int DerivativesMaxAgeSessions { get; set; } = 1;

    /// <summary>The CFTC (CME) report date may be this many days older than the as-of session.</summary>
    [Range(3, 60)]
    public int CmeReportMaxAgeDays { get; set; } = 14;
}
