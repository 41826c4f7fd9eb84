namespace WsAudio.Server.Diagnostics;

/// <summary>
/// Lets one log line through per interval and counts the ones it holds back, so that a flood of the same event
/// (refused connections, refused messages) writes a line per interval, not a line per event.
/// </summary>
internal sealed class LogThrottle(TimeSpan interval)
{
    private readonly long _intervalMs = (long)interval.TotalMilliseconds;
    private long _next = long.MinValue;
    private long _held;

    /// <summary>True when a line may be written now; <paramref name="held"/> is how many were held back since the last one.</summary>
    public bool TryEnter(out long held)
    {
        long now = Environment.TickCount64;
        long next = Volatile.Read(ref _next);
        if (now < next || Interlocked.CompareExchange(ref _next, now + _intervalMs, next) != next)
        {
            Interlocked.Increment(ref _held);
            held = 0;
            return false;
        }

        held = Interlocked.Exchange(ref _held, 0);
        return true;
    }
}
