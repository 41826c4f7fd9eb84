using System.Threading.Channels;

namespace WsAudio.Server.Transport;

/// <summary>
/// Messages waiting to be written to one connection, in the order they were offered. Audio is bounded and drops
/// its oldest frame when full, so a slow reader never holds anyone up; control messages are never dropped, and
/// a connection that lets too many pile up is closed as slow instead.
/// </summary>
/// <remarks>
/// One ring keeps audio and control in a single order (a <c>stream-started</c> always precedes the stream's first
/// frame). A one-slot channel serves as the doorbell for the single consumer, rung only when it waits, so the
/// steady state costs one uncontended lock per message and no allocation.
/// </remarks>
internal sealed class OutboundQueue
{
    private const int InitialCapacity = 8;

    private readonly Lock _gate = new();
    private readonly Channel<bool> _doorbell = Channel.CreateUnbounded<bool>(new UnboundedChannelOptions { SingleReader = true });
    private readonly int _audioLimit;
    private readonly int _controlLimit;
    private SharedFrame?[] _ring = new SharedFrame?[InitialCapacity];
    private int _head;
    private int _count;
    private int _audioCount;
    private bool _consumerWaiting;
    private bool _closed;
    private long _dropped;

    public OutboundQueue(int audioLimit, int controlLimit)
    {
        _audioLimit = audioLimit;
        _controlLimit = controlLimit;
    }

    /// <summary>Audio frames dropped because this queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Messages waiting now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>True once the control backlog passed its limit; the connection must be closed as slow.</summary>
    public bool Overflowed { get; private set; }

    /// <summary>True once no more messages are accepted.</summary>
    public bool IsClosed
    {
        get
        {
            lock (_gate)
            {
                return _closed;
            }
        }
    }

    /// <summary>
    /// Offers <paramref name="frame"/>, taking over one reference to it that the caller already added. When the
    /// result is <see cref="EnqueueResult.Rejected"/> the caller still owns that reference.
    /// </summary>
    public EnqueueResult Enqueue(SharedFrame frame)
    {
        SharedFrame? evicted = null;
        bool ring;
        EnqueueResult result = EnqueueResult.Queued;
        lock (_gate)
        {
            if (_closed)
            {
                return EnqueueResult.Rejected;
            }

            if (frame.IsAudio)
            {
                if (_audioCount == _audioLimit)
                {
                    evicted = RemoveOldestAudio();
                    result = EnqueueResult.QueuedDroppedOldest;
                }

                _audioCount++;
            }
            else if (_count - _audioCount >= _controlLimit)
            {
                Overflowed = true;
                _closed = true;
                ring = TakeWaitingConsumer();
                Ring(ring);
                return EnqueueResult.Rejected;
            }

            Append(frame);
            ring = TakeWaitingConsumer();
        }

        if (evicted is not null)
        {
            Interlocked.Increment(ref _dropped);
            evicted.Release();
        }

        Ring(ring);
        return result;
    }

    /// <summary>Takes the next message; the caller owns its reference and must release it.</summary>
    public bool TryDequeue(out SharedFrame? frame)
    {
        _doorbell.Reader.TryRead(out _);
        lock (_gate)
        {
            if (_count == 0)
            {
                frame = null;
                return false;
            }

            frame = _ring[_head];
            _ring[_head] = null;
            _head = (_head + 1) % _ring.Length;
            _count--;
            if (frame!.IsAudio)
            {
                _audioCount--;
            }

            return true;
        }
    }

    /// <summary>Completes when a message is waiting or the queue is closed (then it may stay empty for good).</summary>
    public ValueTask<bool> WaitAsync()
    {
        lock (_gate)
        {
            if (_count > 0 || _closed)
            {
                return new ValueTask<bool>(true);
            }

            _consumerWaiting = true;
        }

        return _doorbell.Reader.WaitToReadAsync();
    }

    /// <summary>Refuses further messages. Queued ones stay for the consumer unless <paramref name="discardQueued"/>.</summary>
    public void Close(bool discardQueued)
    {
        List<SharedFrame>? discarded = null;
        bool ring;
        lock (_gate)
        {
            _closed = true;
            if (discardQueued)
            {
                discarded = new List<SharedFrame>(_count);
                while (_count > 0)
                {
                    discarded.Add(_ring[_head]!);
                    _ring[_head] = null;
                    _head = (_head + 1) % _ring.Length;
                    _count--;
                }

                _audioCount = 0;
            }

            ring = TakeWaitingConsumer();
        }

        discarded?.ForEach(f => f.Release());
        Ring(ring);
    }

    private bool TakeWaitingConsumer()
    {
        bool waiting = _consumerWaiting;
        _consumerWaiting = false;
        return waiting;
    }

    private void Ring(bool ring)
    {
        if (ring)
        {
            _doorbell.Writer.TryWrite(true);
        }
    }

    private void Append(SharedFrame frame)
    {
        if (_count == _ring.Length)
        {
            Grow();
        }

        _ring[(_head + _count) % _ring.Length] = frame;
        _count++;
    }

    private void Grow()
    {
        var larger = new SharedFrame?[_ring.Length * 2];
        for (int i = 0; i < _count; i++)
        {
            larger[i] = _ring[(_head + i) % _ring.Length];
        }

        _ring = larger;
        _head = 0;
    }

    // The oldest audio frame is almost always at the head; control messages queued ahead of it move up one slot.
    private SharedFrame RemoveOldestAudio()
    {
        int offset = 0;
        while (!_ring[(_head + offset) % _ring.Length]!.IsAudio)
        {
            offset++;
        }

        int index = (_head + offset) % _ring.Length;
        var oldest = _ring[index]!;
        for (int i = offset; i > 0; i--)
        {
            _ring[(_head + i) % _ring.Length] = _ring[(_head + i - 1) % _ring.Length];
        }

        _ring[_head] = null;
        _head = (_head + 1) % _ring.Length;
        _count--;
        _audioCount--;
        return oldest;
    }
}
