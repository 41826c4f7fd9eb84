using WsAudio.Server.Transport;

namespace WsAudio.Server.Hub;

/// <summary>
/// The room's last audio frames, kept for listeners that start with a burst of what they just missed (the radio
/// listen URL). A ring of shared frames: keeping one costs a reference, not a copy.
/// </summary>
internal sealed class RecentAudio
{
    private readonly Lock _gate = new();
    private readonly SharedFrame?[] _ring;
    private int _next;

    /// <param name="capacity">Frames kept, of all the room's streams together.</param>
    public RecentAudio(int capacity)
    {
        _ring = new SharedFrame?[capacity];
    }

    public void Add(SharedFrame frame)
    {
        frame.AddReferences(1);
        SharedFrame? old;
        lock (_gate)
        {
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
    public List<SharedFrame> Since(long sinceTimestamp)
    {
        var frames = new List<SharedFrame>();
        lock (_gate)
        {
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
