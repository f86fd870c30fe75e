using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Tapewatch.Infrastructure.Dashboard;

/// <summary>
/// The dashboard's chart window and the reference lines it draws. Bound from "Tapewatch:Dashboard"
/// (app settings <c>Tapewatch__Dashboard__…</c>). The lines default to DESIGN §3's thresholds; they are
/// drawn for orientation only (the scenario cards show the engine's own evaluation).
/// </summary>
public sealed class DashboardOptions : IValidatableObject
{
    public const string SectionName = "Tapewatch:Dashboard";

    /// <summary>Calendar days shown when the request has no <c>?days=</c>.</summary>
    [Range(MinDays, 3660)]
    public int DefaultDays { get; set; } = 90;

    /// <summary>Largest <c>?days=</c> accepted (the page reads every session in the window).</summary>
    [Range(MinDays, 3660)]
    public int MaxDays { get; set; } = 730;

    /// <summary>Rebuild: a green session is ≥ this (US$m); drawn as +line and −line (±200).</summary>
    [Range(0, 100_000)]
    public decimal RebuildSessionMinUsdM { get; set; } = 200m;

    [Range(1, 50)]
    public int RebuildStreak { get; set; } = 3;

    [Range(1, 50)]
    public int CautionStreak { get; set; } = 4;

    [Range(0, 100_000)]
    public decimal SnapbackSessionMinUsdM { get; set; } = 750m;

    [Range(-100, 1000)]
    public decimal BasisCautionMaxPct { get; set; } = 3m;

    [Range(-100, 1000)]
    public decimal BasisRebuildMinPct { get; set; } = 8m;

    [Range(-100, 1000)]
    public decimal BasisSnapbackMinPct { get; set; } = 12m;

    [Range(-100, 1000)]
    public decimal FundingSubduedMaxPct { get; set; } = 10m;

    [Range(-100, 1000)]
    public decimal FundingRiskMinPct { get; set; } = 20m;

    public const int MinDays = 7;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DefaultDays > MaxDays)
        {
            yield return new ValidationResult($"DefaultDays ({DefaultDays}) must not exceed MaxDays ({MaxDays}).");
        }

        if (!(BasisCautionMaxPct < BasisRebuildMinPct && BasisRebuildMinPct < BasisSnapbackMinPct))
        {
            yield return new ValidationResult("Basis bands must rise: BasisCautionMaxPct < BasisRebuildMinPct < BasisSnapbackMinPct.");
        }
    }
}

[OptionsValidator]
internal sealed partial class DashboardOptionsValidator : IValidateOptions<DashboardOptions>;
