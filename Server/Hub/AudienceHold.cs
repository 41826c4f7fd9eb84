using WsAudio.Server.Transport;

namespace WsAudio.Server.Hub;

/// <summary>
/// One room's audio for its audience, held back for up to <see cref="Hosting.PresenceOptions.AudienceWriteInterval"/>
/// and then queued to every audience member at once: a held frame's fan-out touches no member, and each member
/// takes one lock, one wake-up and usually one write per interval instead of per frame.
/// </summary>
/// <remarks>
/// Flushes run one at a time, so every member gets the frames in the order they were held. The room flushes before
/// it queues any event to its members, so an event never overtakes audio that was sent before it (a stream's last
/// frames reach the audience before its <c>stream-stopped</c>).
/// </remarks>
internal sealed class AudienceHold
{
    private readonly long _intervalMs;
    private readonly Lock _gate = new();
    private readonly Lock _flushing = new();
    private SharedFrame[] _held = new SharedFrame[8];
    private int _count;
    private long _since;

    // Only the flush that holds _flushing uses it.
    private SharedFrame[] _taken = new SharedFrame[8];

    /// <param name="interval">Zero turns holding off.</param>
    public AudienceHold(TimeSpan interval)
    {
        _intervalMs = (long)interval.TotalMilliseconds;
    }

    /// <summary>False when the audience gets every frame as it comes.</summary>
    public bool Enabled => _intervalMs > 0;

    /// <summary>
    /// Holds <paramref name="frame"/>, with a reference of its own; true when the oldest held frame has now waited
    /// the interval and the caller should <see cref="Flush"/>. <paramref name="now"/> is <see cref="Environment.TickCount64"/>.
    /// </summary>
    public bool Hold(SharedFrame frame, long now)
    {
        frame.AddReferences(1);
        lock (_gate)
        {
            if (_count == _held.Length)
            {
                Array.Resize(ref _held, _count * 2);
            }

            _held[_count++] = frame;
            if (_count == 1)
            {
                _since = now;
            }

            return now - _since >= _intervalMs;
        }
    }

    /// <summary>
    /// True when frames have waited the interval: their sender went quiet before another frame flushed them. Read
    /// without the lock, as a hint for a timer that asks every room: a flush finds out what is really held.
    /// </summary>
    public bool IsOverdue(long now) => Volatile.Read(ref _count) > 0 && now - Volatile.Read(ref _since) >= _intervalMs;

    /// <summary>
    /// Takes every held frame and gives them, oldest first, to <paramref name="deliver"/> (with
    /// <paramref name="state"/>), which adds the references it needs; the hold's own are released after. Does nothing
    /// when nothing is held.
    /// </summary>
    public void Flush<TState>(TState state, Action<TState, SharedFrame[], int> deliver)
    {
        lock (_flushing)
        {
            int count;
            lock (_gate)
            {
                count = _count;
                if (count == 0)
                {
                    return;
                }

                if (_taken.Length < count)
                {
                    _taken = new SharedFrame[_held.Length];
                }

                Array.Copy(_held, _taken, count);
                Array.Clear(_held, 0, count);
                _count = 0;
            }

            try
            {
                deliver(state, _taken, count);
            }
            finally
            {
                for (int i = 0; i < count; i++)
                {
                    _taken[i].Release();
                    _taken[i] = null!;
                }
            }
        }
    }
}
