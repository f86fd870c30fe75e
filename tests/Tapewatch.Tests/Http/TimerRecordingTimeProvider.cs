using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace Tapewatch.Tests.Http;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that records the due time of every timer set on it (Polly's delays and timeouts,
/// whether given when the timer is created or later through <see cref="ITimer.Change"/>), so a test advances the clock
/// only once the wait it is about is in place, and can read how long that wait is.
/// </summary>
internal sealed class TimerRecordingTimeProvider() : FakeTimeProvider(Epoch)
{
    public static readonly DateTimeOffset Epoch = new(2025, 11, 10, 9, 0, 0, TimeSpan.Zero);

    private readonly ConcurrentQueue<TimeSpan> _dueTimes = new();

    public IReadOnlyCollection<TimeSpan> DueTimes => _dueTimes;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new RecordingTimer(base.CreateTimer(callback, state, dueTime, period), this);
        Record(dueTime);
        return timer;
    }

    /// <summary>Waits (real time, at most 10 s) until <paramref name="count"/> timers matching <paramref name="match"/> are set.</summary>
    public async Task WaitForTimerAsync(Func<TimeSpan, bool> match, int count = 1)
    {
        var waited = Stopwatch.StartNew();
        while (_dueTimes.Count(match) < count)
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException($"no {count} timer(s) as expected; timers: {string.Join(", ", _dueTimes)}");
            }

            await Task.Delay(5);
        }
    }

    private void Record(TimeSpan dueTime)
    {
        if (dueTime != Timeout.InfiniteTimeSpan) _dueTimes.Enqueue(dueTime);
    }

    private sealed class RecordingTimer(ITimer inner, TimerRecordingTimeProvider owner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            owner.Record(dueTime);
            return inner.Change(dueTime, period);
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
