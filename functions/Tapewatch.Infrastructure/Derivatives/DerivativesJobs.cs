using Tapewatch.Infrastructure.Hosting;
using Tapewatch.Infrastructure.Ingestion;
using Tapewatch.Core.Derivatives;

namespace Tapewatch.Infrastructure.Derivatives;

/// <summary>Hourly venue reading (timer %DerivativesSchedule%).</summary>
public sealed class DerivativesHourlyJob(DerivativesIngestion ingestion) : IScheduledJob
{
    public const string Name = "derivatives-hourly";
    public const string ScheduleSetting = "DerivativesSchedule";

    /// <summary>Five past every hour, UTC.</summary>
    public const string DefaultSchedule = "0 5 * * * *";

    public Task<IReadOnlyList<IngestionRun>> RunAsync(CancellationToken cancellationToken) =>
        ingestion.RunJobAsync(DerivativesRunMode.Hourly, cancellationToken);
}

/// <summary>The daily snapshot after the US close, with CFTC and the BTC close (timer %DerivativesCloseSchedule%).</summary>
public sealed class DerivativesCloseJob(DerivativesIngestion ingestion) : IScheduledJob
{
    public const string Name = "derivatives-close";
    public const string ScheduleSetting = "DerivativesCloseSchedule";

    /// <summary>
    /// 20:15 and 21:15 UTC on weekdays: 16:15 New York in summer (EDT) and in winter (EST); the run that falls before
    /// the close finds the day's snapshot outside its window and only fills gaps.
    /// </summary>
    public const string DefaultSchedule = "0 15 20,21 * * 1-5";

    public Task<IReadOnlyList<IngestionRun>> RunAsync(CancellationToken cancellationToken) =>
        ingestion.RunJobAsync(DerivativesRunMode.Close, cancellationToken);
}
