using Tapewatch.Core.Derivatives;
using Tapewatch.Core.Domain;
using Tapewatch.Infrastructure.Ingestion;

namespace Tapewatch.Infrastructure.Derivatives;

/// <summary>
/// The stores a stored derivatives run writes. Resolved only when a run stores, so a dry run needs no storage configured.
/// </summary>
public sealed class DerivativesStorage(DerivativesHourlyStore hourly, DerivativesDailyStore daily, EvaluationQueue evaluations, IngestionRunLog runs)
{
    public DerivativesHourlyStore Hourly => hourly;

    public DerivativesDailyStore Daily => daily;

    public EvaluationQueue Evaluations => evaluations;

    public IngestionRunLog Runs => runs;
}

/// <summary>The daily snapshot: taken from a reading, merged into the stored one, stored with its ETag.</summary>
internal static class DerivativesSnapshots
{
    public static DerivativesDaily Of(DateOnly session, DerivativesReading reading, CmeOpenInterest? cme, BtcClose? close) => new()
    {
        Session = session,
        AsOfUtc = reading.AsOfUtc,
        Basis3mAnnualizedPct = reading.Basis3mAnnualizedPct,
        FundingAnnualizedPct = reading.FundingAnnualizedPct,
        OffshoreOpenInterestBtc = reading.OffshoreOpenInterestBtc,
        OffshoreOpenInterestUsd = reading.OffshoreOpenInterestUsd,
        OffshoreOpenInterestChange5SessionsPct = reading.OpenInterestChange5Sessions?.ChangePct,
        CmeOpenInterestBtc = cme?.OpenInterestBtc,
        CmeOpenInterestChangeBtc = cme?.ChangeBtc,
        CmeReportDate = cme?.ReportDate,
        BtcCloseUsd = close?.CloseUsd,
        Venues = reading.Venues.Where(v => v.Usable && !v.Reading!.ReportedAlongside).Select(v => v.Venue).ToList(),
        FundingVenues = reading.FundingVenues,
        BasisVenues = reading.BasisVenues,
        OpenInterestVenues = reading.OpenInterestVenues,
    };

    /// <summary>Inserts the snapshot, or fills what the stored one lacks (a few attempts against concurrent writers).</summary>
    public static async Task<DerivativesSnapshotWrite> StoreAsync(DerivativesDailyStore store, DerivativesDaily candidate, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var existing = await store.GetAsync(candidate.Session, cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                if (await store.TryAddAsync(candidate, cancellationToken).ConfigureAwait(false))
                {
                    return new DerivativesSnapshotWrite(DerivativesSnapshotOutcome.Inserted, candidate, HasRuleInputs(candidate));
                }

                continue;
            }

            var (current, etag) = existing.Value;
            var merged = Merge(current, candidate);
            if (DerivativesDailyStore.SameValues(current, merged)) return new DerivativesSnapshotWrite(DerivativesSnapshotOutcome.Unchanged, current);
            try
            {
                await store.ReplaceAsync(merged, etag, cancellationToken).ConfigureAwait(false);
                return new DerivativesSnapshotWrite(DerivativesSnapshotOutcome.Updated, merged, RuleInputsChanged(current, merged));
            }
            catch (Azure.RequestFailedException ex) when (ex.Status == 412)
            {
                // Someone else wrote it in between: read again and merge.
            }
        }

        return DerivativesSnapshotWrite.Skipped("concurrent writers");
    }

    /// <summary>The stored snapshot stays; only its missing values are filled from the newer candidate.</summary>
    public static DerivativesDaily Merge(DerivativesDaily current, DerivativesDaily candidate)
    {
        var onlyClose = current.Basis3mAnnualizedPct is null && current.FundingAnnualizedPct is null && current.OffshoreOpenInterestBtc is null && current.CmeOpenInterestBtc is null;
        return current with
        {
            AsOfUtc = onlyClose && HasRuleInputs(candidate) ? candidate.AsOfUtc : current.AsOfUtc,
            Basis3mAnnualizedPct = current.Basis3mAnnualizedPct ?? candidate.Basis3mAnnualizedPct,
            FundingAnnualizedPct = current.FundingAnnualizedPct ?? candidate.FundingAnnualizedPct,
            OffshoreOpenInterestBtc = current.OffshoreOpenInterestBtc ?? candidate.OffshoreOpenInterestBtc,
            OffshoreOpenInterestUsd = current.OffshoreOpenInterestUsd ?? candidate.OffshoreOpenInterestUsd,
            OffshoreOpenInterestChange5SessionsPct = current.OffshoreOpenInterestChange5SessionsPct ?? candidate.OffshoreOpenInterestChange5SessionsPct,
            CmeOpenInterestBtc = current.CmeOpenInterestBtc ?? candidate.CmeOpenInterestBtc,
            CmeOpenInterestChangeBtc = current.CmeOpenInterestBtc is null ? candidate.CmeOpenInterestChangeBtc : current.CmeOpenInterestChangeBtc,
            CmeReportDate = current.CmeOpenInterestBtc is null ? candidate.CmeReportDate : current.CmeReportDate,
            BtcCloseUsd = current.BtcCloseUsd ?? candidate.BtcCloseUsd,
            Venues = current.Venues.Union(candidate.Venues, StringComparer.Ordinal).ToList(),
            FundingVenues = current.FundingAnnualizedPct is null ? candidate.FundingVenues : current.FundingVenues,
            BasisVenues = current.Basis3mAnnualizedPct is null ? candidate.BasisVenues : current.BasisVenues,
            OpenInterestVenues = current.OffshoreOpenInterestBtc is null ? candidate.OpenInterestVenues : current.OpenInterestVenues,
        };
    }

    private static bool HasRuleInputs(DerivativesDaily d) =>
        d.Basis3mAnnualizedPct is not null || d.FundingAnnualizedPct is not null || d.OffshoreOpenInterestBtc is not null || d.CmeOpenInterestBtc is not null;

    /// <summary>The BTC close is not a rule input: backfilling it does not ask for an evaluation.</summary>
    private static bool RuleInputsChanged(DerivativesDaily a, DerivativesDaily b) =>
        a.Basis3mAnnualizedPct != b.Basis3mAnnualizedPct || a.FundingAnnualizedPct != b.FundingAnnualizedPct
        || a.OffshoreOpenInterestBtc != b.OffshoreOpenInterestBtc || a.OffshoreOpenInterestChange5SessionsPct != b.OffshoreOpenInterestChange5SessionsPct
        || a.CmeOpenInterestBtc != b.CmeOpenInterestBtc || a.CmeOpenInterestChangeBtc != b.CmeOpenInterestChangeBtc;
}
