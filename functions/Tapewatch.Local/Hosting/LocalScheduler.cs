using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NCrontab;
using Tapewatch.Infrastructure.Hosting;
using Tapewatch.Infrastructure.Ingestion;

namespace Tapewatch.Local.Hosting;

/// <summary>
/// Runs the registered jobs on the same UTC NCRONTAB schedules (same app-setting names) as the
/// Function app's timer triggers. Six-field expressions (with seconds), like the Functions host.
/// </summary>
internal sealed partial class LocalScheduler(
    IEnumerable<ScheduledJobDefinition> jobs,
    IConfiguration configuration,
    IServiceScopeFactory scopes,
    TimeProvider time,
    ILogger<LocalScheduler> logger) : BackgroundService
{
    public static CrontabSchedule Parse(string expression) =>
        CrontabSchedule.Parse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var schedules = jobs.Select(j => (Job: j, Schedule: Parse(configuration[j.ScheduleSetting] is { Length: > 0 } s ? s : j.DefaultSchedule))).ToList();
        if (schedules.Count == 0) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = schedules
                .Select(s => (s.Job, At: new DateTimeOffset(s.Schedule.GetNextOccurrence(now.UtcDateTime), TimeSpan.Zero)))
                .OrderBy(s => s.At)
                .ToList();
            var due = next[0].At;
            var delay = due - now;
            if (delay > TimeSpan.Zero) await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
            foreach (var (job, _) in next.Where(n => n.At == due))
            {
                await RunJobAsync(job, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task RunJobAsync(ScheduledJobDefinition job, CancellationToken ct)
    {
        try
        {
            var runs = await job.RunInScopeAsync(scopes, ct).ConfigureAwait(false);
            foreach (var run in runs)
            {
                LogJobRun(job.Name, run.Dataset, run.Source, run.Outcome, run.Inserted, run.Updated, run.Error);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogJobFailed(ex, job.Name);
        }
    }

    [LoggerMessage(EventId = 1800, Level = LogLevel.Information, Message = "Job {Job}: {Dataset} from {Source}: {Outcome} ({Inserted} new, {Updated} changed) {Error}")]
    private partial void LogJobRun(string job, string dataset, string source, RunOutcome outcome, int inserted, int updated, string? error);

    [LoggerMessage(EventId = 1801, Level = LogLevel.Error, Message = "Job {Job} failed")]
    private partial void LogJobFailed(Exception exception, string job);
}
