namespace WsAudio.Server.Transport;

/// <summary>A first-in first-out ring of frames, each with the order stamp it was queued under. Not thread-safe.</summary>
internal struct FrameRing
{
    private (SharedFrame Frame, long Stamp)[] _items;
    private int _head;

    public FrameRing(int initialCapacity)
    {
        _items = new (SharedFrame, long)[initialCapacity];
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
        var larger = new (SharedFrame, long)[_items.Length * 2];
        for (int i = 0; i < Count; i++)
        {
            larger[i] = _items[(_head + i) % _items.Length];
        }

        _items = larger;
        _head = 0;
    }
}
