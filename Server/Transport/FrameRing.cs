namespace WsAudio.Server.Transport;

/// <summary>A first-in first-out ring of frames, each with the order stamp it was queued under. Not thread-safe.</summary>
/// <remarks>
/// Its storage is allocated by the first push: a receiver that keeps up is written to straight from the fan-out and
/// never queues audio, so it holds no audio ring (152 bytes each, for 8 entries).
/// </remarks>
internal struct FrameRing
{
    private readonly int _initialCapacity;
    private (SharedFrame Frame, long Stamp)[] _items;
    private int _head;

    public FrameRing(int initialCapacity)
    {
        _initialCapacity = initialCapacity;
        _items = [];
    }

    public int Count { get; private set; }

    public readonly long HeadStamp => _items[_head].Stamp;

    public void Push(SharedFrame frame, long stamp)
    {
        if (Count == _items.Length)
        {
            Grow();
        }

        _items[(_head + Count) % _items.Length] = (frame, stamp);
        Count++;
    }

    /// <summary>Gives back the storage when nothing is in the ring; the next push allocates it again.</summary>
    public void TrimIfEmpty()
    {
        if (Count == 0)
        {
            _items = [];
            _head = 0;
        }
    }

    public SharedFrame Pop()
    {
        var frame = _items[_head].Frame;
        _items[_head] = default;
        _head = (_head + 1) % _items.Length;
        Count--;
        return frame;
    }

    private void Grow()
    {
        var larger = new (SharedFrame, long)[_items.Length == 0 ? _initialCapacity : _items.Length * 2];
        for (int i = 0; i < Count; i++)
        {
            larger[i] = _items[(_head + i) % _items.Length];
        }

        _items = larger;
        _head = 0;
    }
}
