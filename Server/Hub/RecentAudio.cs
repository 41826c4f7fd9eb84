using WsAudio.Server.Transport;

namespace WsAudio.Server.Hub;

/// <summary>
/// The room's last audio frames, kept for members that start with a burst of what they just missed (a joiner's first
/// frames, the radio listen URL). A ring of shared frames: keeping one costs a reference, not a copy.
/// </summary>
/// <remarks>
/// Every frame kept gets the next <see cref="SharedFrame.Ordinal"/>, in the ring's order, so a burst can say which
/// frames it covered: those up to the newest ordinal when it was taken.
/// </remarks>
internal sealed class RecentAudio
{
    private readonly Lock _gate = new();
    private SharedFrame?[] _ring;
    private int _next;
    private long _ordinal;

    /// <param name="capacity">Frames kept, of all the room's streams together.</param>
    public RecentAudio(int capacity)
    {
        _ring = new SharedFrame?[capacity];
    }

    /// <summary>Keeps at least <paramref name="capacity"/> frames from now on, and every frame already kept.</summary>
    public void Grow(int capacity)
    {
        lock (_gate)
        {
            if (capacity <= _ring.Length)
            {
                return;
            }

            var ring = new SharedFrame?[capacity];
            for (int i = 0; i < _ring.Length; i++)
            {
                ring[i] = _ring[(_next + i) % _ring.Length];
            }

            _next = _ring.Length;
            _ring = ring;
        }
    }

    /// <summary>Keeps <paramref name="frame"/> (with a reference of its own) and gives it the next ordinal.</summary>
    public void Add(SharedFrame frame)
    {
        frame.AddReferences(1);
        SharedFrame? old;
        lock (_gate)
        {
            frame.Ordinal = ++_ordinal;
            old = _ring[_next];
            _ring[_next] = frame;
            _next = (_next + 1) % _ring.Length;
        }

        old?.Release();
    }

    /// <summary>
    /// The frames received since <paramref name="sinceTimestamp"/> (Stopwatch ticks), oldest first, each with a
    /// reference the caller must release.
    /// </summary>
    public List<SharedFrame> Since(long sinceTimestamp) => Since(sinceTimestamp, out _);

    /// <summary>
    /// As <see cref="Since(long)"/>; <paramref name="newest"/> is the ordinal of the newest frame kept so far (0 when
    /// none), which no frame added later has.
    /// </summary>
    public List<SharedFrame> Since(long sinceTimestamp, out long newest)
    {
        var frames = new List<SharedFrame>();
        lock (_gate)
        {
            newest = _ordinal;
            for (int i = 0; i < _ring.Length; i++)
            {
                if (_ring[(_next + i) % _ring.Length] is { } frame && frame.ReceivedTimestamp >= sinceTimestamp)
                {
                    frame.AddReferences(1);
                    frames.Add(frame);
                }
            }
        }

        return frames;
    }

    public void Clear()
    {
        lock (_gate)
        {
            for (int i = 0; i < _ring.Length; i++)
            {
                _ring[i]?.Release();
                _ring[i] = null;
            }
        }
    }
}
