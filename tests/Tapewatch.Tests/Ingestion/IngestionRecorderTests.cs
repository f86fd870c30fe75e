using Azure;
using Microsoft.Extensions.Time.Testing;
using Tapewatch.Infrastructure.Ingestion;

namespace Tapewatch.Tests.Ingestion;

/// <summary>
/// The contract of the shared ingestion tail (<see cref="IngestionRecorder"/>), with in-memory fakes of the run log and the
/// evaluation queue: changed → one request from the earliest changed session, unchanged → none, a storage outage → a Failed
/// run with its reason, and an evaluation request failure reported or thrown as each feature asks.
/// </summary>
public sealed class IngestionRecorderTests
{
    private static readonly DateTimeOffset Started = new(2026, 1, 5, 21, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Session = new(2026, 1, 2);

    [Fact]
    public async Task Something_changed_gives_one_evaluation_request_from_the_earliest_changed_session()
    {
        var (recorder, runs, evaluations, _) = Create();

        var result = await recorder.RequestEvaluationAsync(Session, null, null, CancellationToken.None);

        Assert.Equal(EvaluationRequestStatus.Requested, result.Status);
        Assert.True(result.Enqueued);
        Assert.Equal([("etf-flows", (DateOnly?)Session)], evaluations.Requests);
        Assert.Empty(evaluations.Delayed);
        Assert.Empty(runs.Recorded);
    }

    [Fact]
    public async Task Nothing_changed_gives_no_evaluation_request()
    {
        var (recorder, _, evaluations, _) = Create();

        var result = await recorder.RequestEvaluationAsync(null, null, IngestionRecorder.IsStorageOutage, CancellationToken.None);

        Assert.Equal(EvaluationRequestStatus.NotNeeded, result.Status);
        Assert.False(result.Enqueued);
        Assert.Empty(evaluations.Requests);
        Assert.Null(await recorder.RequestSafetyAsync(null, TimeSpan.FromMinutes(10), CancellationToken.None));
        Assert.Empty(evaluations.Delayed);
    }

    [Fact]
    public async Task The_delayed_safety_request_is_cancelled_after_the_immediate_one_and_a_failed_cancel_is_only_reported()
    {
        var (recorder, _, evaluations, _) = Create();
        var safety = await recorder.RequestSafetyAsync(Session, TimeSpan.FromMinutes(10), CancellationToken.None);
        Assert.NotNull(safety);
        Assert.Equal([("etf-flows", (DateOnly?)Session, TimeSpan.FromMinutes(10))], evaluations.Delayed);

        var result = await recorder.RequestEvaluationAsync(Session, safety, IngestionRecorder.IsStorageOutage, CancellationToken.None);
        Assert.True(result.Enqueued);
        Assert.Equal([safety], evaluations.Cancelled);

        evaluations.CancelFailure = new RequestFailedException(503, "busy", "ServerBusy", null);
        var again = await recorder.RequestEvaluationAsync(Session, safety, IngestionRecorder.IsStorageOutage, CancellationToken.None);
        Assert.Equal(EvaluationRequestStatus.Requested, again.Status);
        Assert.Same(evaluations.CancelFailure, again.SafetyCancelFailure);
    }

    [Fact]
    public async Task A_storage_outage_is_a_Failed_run_with_its_reason()
    {
        var (recorder, runs, _, time) = Create();
        time.Advance(TimeSpan.FromSeconds(3));
        var outage = new AggregateException(new RequestFailedException("Connection refused (127.0.0.1:10002)"), new HttpRequestException("Connection refused (127.0.0.1:10002)"));

        Assert.True(IngestionRecorder.IsStorageOutage(outage));
        Assert.True(IngestionRecorder.IsStorageOutage(new RequestFailedException(503, "busy", "ServerBusy", null)));
        Assert.False(IngestionRecorder.IsStorageOutage(new InvalidOperationException("a bug")));

        var run = recorder.StorageOutage("farside", Started, outage);
        Assert.Equal("etf-flows", run.Dataset);
        Assert.Equal("farside", run.Source);
        Assert.Equal(RunOutcome.Failed, run.Outcome);
        Assert.Equal("storage: unreachable after retries: Connection refused (127.0.0.1:10002)", run.Error);
        Assert.Equal(Started, run.StartedUtc);
        Assert.Equal(Started.AddSeconds(3), run.FinishedUtc);
        Assert.False(run.EvaluationEnqueued);
        Assert.Equal("storage: HTTP 503 ServerBusy", IngestionRecorder.StorageOutage(time, "derivatives", "composite", Started, new RequestFailedException(503, "busy", "ServerBusy", null)).Error);

        await recorder.RecordAsync(run, CancellationToken.None);
        Assert.Equal([run], runs.Recorded);
    }

    [Fact]
    public async Task A_failed_run_record_is_thrown_or_returned_as_the_feature_asks()
    {
        var (recorder, runs, _, _) = Create();
        var run = recorder.Run("none", RunOutcome.Succeeded, Started);
        runs.Failure = new RequestFailedException(500, "down", "InternalError", null);

        await Assert.ThrowsAsync<RequestFailedException>(() => recorder.RecordAsync(run, CancellationToken.None));
        Assert.Same(runs.Failure, await recorder.TryRecordAsync(run, CancellationToken.None));

        runs.Failure = new InvalidOperationException("a bug");
        await Assert.ThrowsAsync<InvalidOperationException>(() => recorder.TryRecordAsync(run, CancellationToken.None));
    }

    [Fact]
    public async Task An_evaluation_request_failure_is_reported_or_thrown_as_each_feature_does()
    {
        var (recorder, _, evaluations, _) = Create();
        var answer = new RequestFailedException(503, "busy", "ServerBusy", null);
        var unreachable = new AggregateException(new HttpRequestException("Connection refused"));

        // ETF flows: any storage failure is reported (the run becomes Failed; the delayed safety request covers it).
        evaluations.EnqueueFailure = unreachable;
        var etf = await recorder.RequestEvaluationAsync(Session, null, IngestionRecorder.IsStorageOutage, CancellationToken.None);
        Assert.Equal(EvaluationRequestStatus.Failed, etf.Status);
        Assert.Same(unreachable, etf.Failure);
        Assert.False(etf.Enqueued);

        // Weekly flows: an error answer is reported (the run becomes Partial); storage unreachable is thrown.
        static bool Weekly(Exception ex) => ex is RequestFailedException;
        evaluations.EnqueueFailure = answer;
        Assert.Same(answer, (await recorder.RequestEvaluationAsync(Session, null, Weekly, CancellationToken.None)).Failure);
        evaluations.EnqueueFailure = unreachable;
        await Assert.ThrowsAsync<AggregateException>(() => recorder.RequestEvaluationAsync(Session, null, Weekly, CancellationToken.None));

        // Derivatives: thrown (a scheduled run makes it a Failed run).
        evaluations.EnqueueFailure = answer;
        await Assert.ThrowsAsync<RequestFailedException>(() => recorder.RequestEvaluationAsync(Session, null, null, CancellationToken.None));
        Assert.Empty(evaluations.Requests);
    }

    [Fact]
    public void A_run_record_is_finished_now_with_the_given_counts()
    {
        var time = new FakeTimeProvider(Started.AddMinutes(1));
        var run = IngestionRecorder.NewRun(time, "weekly-flows", "coinshares-feed", RunOutcome.Partial, Started, fetched: 1, inserted: 1, error: "stored, but…", enqueued: false);

        Assert.Equal(
            new IngestionRun
            {
                Dataset = "weekly-flows",
                Source = "coinshares-feed",
                Outcome = RunOutcome.Partial,
                StartedUtc = Started,
                FinishedUtc = Started.AddMinutes(1),
                Fetched = 1,
                Inserted = 1,
                Error = "stored, but…",
            },
            run);
        Assert.True(run.Changed);
    }

    private static (IngestionRecorder Recorder, FakeRuns Runs, FakeEvaluations Evaluations, FakeTimeProvider Time) Create()
    {
        var time = new FakeTimeProvider(Started);
        var runs = new FakeRuns();
        var evaluations = new FakeEvaluations();
        return (new IngestionRecorder("etf-flows", runs, evaluations, time), runs, evaluations, time);
    }

    private sealed class FakeRuns : IIngestionRunSink
    {
        public List<IngestionRun> Recorded { get; } = [];

        public Exception? Failure { get; set; }

        public Task RecordAsync(IngestionRun run, CancellationToken cancellationToken)
        {
            if (Failure is not null) return Task.FromException(Failure);
            Recorded.Add(run);
            return Task.CompletedTask;
        }
    }

    private sealed class FakeEvaluations : IEvaluationRequests
    {
        public List<(string Reason, DateOnly? ChangedFrom)> Requests { get; } = [];

        public List<(string Reason, DateOnly? ChangedFrom, TimeSpan Delay)> Delayed { get; } = [];

        public List<EvaluationReceipt> Cancelled { get; } = [];

        public Exception? EnqueueFailure { get; set; }

        public Exception? CancelFailure { get; set; }

        public Task EnqueueAsync(string reason, DateOnly? changedFrom, CancellationToken cancellationToken)
        {
            if (EnqueueFailure is not null) return Task.FromException(EnqueueFailure);
            Requests.Add((reason, changedFrom));
            return Task.CompletedTask;
        }

        public Task<EvaluationReceipt> EnqueueDelayedAsync(string reason, DateOnly? changedFrom, TimeSpan delay, CancellationToken cancellationToken)
        {
            Delayed.Add((reason, changedFrom, delay));
            return Task.FromResult(new EvaluationReceipt("m" + Delayed.Count, "p"));
        }

        public Task CancelAsync(EvaluationReceipt receipt, CancellationToken cancellationToken)
        {
            if (CancelFailure is not null) return Task.FromException(CancelFailure);
            Cancelled.Add(receipt);
            return Task.CompletedTask;
        }
    }
}
