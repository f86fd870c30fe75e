namespace Tapewatch.Local.Demo;

/// <summary>The demo's clock: real time shifted to the replayed evening; moved forward session by session.</summary>
internal sealed class DemoClock(DateTimeOffset start) : TimeProvider
{
    private long _offsetTicks = (start - System.GetUtcNow()).Ticks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    public void MoveTo(DateTimeOffset utc) => Interlocked.Exchange(ref _offsetTicks, (utc - System.GetUtcNow()).Ticks);
}
