namespace WsAudio.Server.Session;

/// <summary>
/// A token bucket per sender: <c>rate</c> per second, holding at most one second's worth, so a sender may burst
/// after a stall but not keep up more than the rate. Used by one receive loop only: not thread-safe.
/// </summary>
internal struct RateLimiter
{
    private readonly double _rate;
    private double _tokens;
    private long _lastTicks;

    public RateLimiter(double rate)
    {
        _rate = rate;
        _tokens = rate;
        _lastTicks = Environment.TickCount64;
    }

    /// <summary>Takes <paramref name="cost"/> tokens; false when the bucket cannot pay.</summary>
    public bool TryTake(double cost)
    {
        if (_rate <= 0)
        {
            return true;
        }

        long now = Environment.TickCount64;
        _tokens = Math.Min(_rate, _tokens + ((now - _lastTicks) * _rate / 1000.0));
        _lastTicks = now;
        if (_tokens < cost)
        {
            return false;
        }

        _tokens -= cost;
        return true;
    }
}
