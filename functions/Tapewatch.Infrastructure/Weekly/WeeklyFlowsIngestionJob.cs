using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tapewatch.Infrastructure.Hosting;
using Tapewatch.Infrastructure.Ingestion;
using Tapewatch.Infrastructure.Storage;
using Tapewatch.Core.Weekly;

namespace Tapewatch.Infrastructure.Weekly;

/// <summary>
/// Monday job: once the week to last Friday is stored (from the feed or by hand) every further run is a
/// single point read; until then it fetches the feed, reads the newest report and stores it. A storage outage is a
/// Failed run with its reason (the next run reads and writes again), never an exception.
/// </summary>
public sealed partial class WeeklyFlowsIngestionJob(
    CoinSharesFeedClient feed,
    WeeklyFlowStore store,
    WeeklyFlowIngestion ingestion,
    IOptions<WeeklyFlowsOptions> options,
    TimeProvider time,
    ILogger<WeeklyFlowsIngestionJob> logger) : IScheduledJob
{
    public const string Name = "WeeklyFlows";

    public const string ScheduleSetting = "WeeklyFlowsSchedule";

    /// <summary>Mondays and Tuesdays at :15 past each hour 07:15–21:15 UTC (Tuesday = catch-up; runs after the week is in are no-ops).</summary>
    public const string DefaultSchedule = "0 15 7-21 * * 1-2";

    public async Task<IReadOnlyList<IngestionRun>> RunAsync(CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        try
        {
            return await RunOnceAsync(started, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IngestionRecorder.IsStorageOutage(ex))
        {
            var failed = IngestionRecorder.StorageOutage(time, WeeklyFlowIngestion.Dataset, WeeklyReport.FeedSource, started, ex);
            LogRunFailed(failed.Error!);
            return [failed];
        }
    }

    private async Task<IReadOnlyList<IngestionRun>> RunOnceAsync(DateTimeOffset started, CancellationToken cancellationToken)
    {
        var expected = WeeklyReport.ExpectedWeekEnding(DateOnly.FromDateTime(started.UtcDateTime));
        if (await store.GetAsync(expected, cancellationToken).ConfigureAwait(false) is not null)
        {
            LogAlreadyStored(expected);
            return [];
        }

        var fetch = await feed.FetchAsync(cancellationToken).ConfigureAwait(false);
        if (fetch.Body is null)
        {
            LogFetchFailed(fetch.Outcome, fetch.Error);
            return [await ingestion.RecordFailureAsync(WeeklyReport.FeedSource, fetch.Outcome, fetch.Error!, started, cancellationToken).ConfigureAwait(false)];
        }

        WeeklyReadResult read;
        using (var stream = new MemoryStream(fetch.Body, writable: false))
        {
            read = WeeklyReport.ReadFeed(stream, WeeklyReport.FeedSource, options.Value.ReportTitle);
        }

        if (read.Week is null)
        {
            LogParseFailed(read.Error);
            return [await ingestion.RecordFailureAsync(WeeklyReport.FeedSource, RunOutcome.ParseFailed, read.Error!, started, cancellationToken).ConfigureAwait(false)];
        }

        if (read.Week.WeekEnding < expected) LogNotYetPublished(read.Week.WeekEnding, expected);
        var stored = await ingestion.StoreAsync(read.Week, started, cancellationToken).ConfigureAwait(false);
        return [stored.Run];
    }

    [LoggerMessage(EventId = 1410, Level = LogLevel.Debug, Message = "Weekly flows: week {WeekEnding} already stored; nothing to do")]
    private partial void LogAlreadyStored(DateOnly weekEnding);

    [LoggerMessage(EventId = 1411, Level = LogLevel.Warning, Message = "Weekly flows: feed not fetched ({Outcome}): {Error}")]
    private partial void LogFetchFailed(RunOutcome outcome, string? error);

    [LoggerMessage(EventId = 1412, Level = LogLevel.Warning, Message = "Weekly flows: feed not understood: {Error}")]
    private partial void LogParseFailed(string? error);

    [LoggerMessage(EventId = 1413, Level = LogLevel.Information, Message = "Weekly flows: the newest report covers {WeekEnding}; the week to {Expected} is not published yet")]
    private partial void LogNotYetPublished(DateOnly weekEnding, DateOnly expected);

    [LoggerMessage(EventId = 1414, Level = LogLevel.Error, Message = "Weekly flows: run failed: {Reason}")]
    private partial void LogRunFailed(string reason);
}
