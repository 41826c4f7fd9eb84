namespace WsAudio.Cli.Bot;

/// <summary>One receiver's view of one stream: sequence continuity and RFC 3550 interarrival jitter.</summary>
internal sealed class StreamTracker
{
    private bool _started;
    private uint _next;
    private long _lastTransit;

    /// <summary>Smoothed interarrival jitter, µs (RFC 3550 §6.4.1, with the 1/16 gain).</summary>
    public double JitterMicros { get; private set; }

    /// <summary>Takes one frame; returns how many frames were skipped before it (0 normally, −1 when it is old).</summary>
    public long Accept(uint sequence, long transitMicros)
    {
        long gap = 0;
        if (_started)
        {
            int distance = (int)(sequence - _next);
            if (distance < 0)
            {
                return -1;
            }

            gap = distance;
            JitterMicros += (Math.Abs(transitMicros - _lastTransit) - JitterMicros) / 16;
        }

        _started = true;
        _next = sequence + 1;
        _lastTransit = transitMicros;
        return gap;
    }
}
