using System.Threading.Channels;

namespace WsAudio.Server.Transport;

/// <summary>
/// Messages waiting to be written to one connection, in the order they were offered. Audio is bounded and drops
/// its oldest frame when full, so a slow reader never holds anyone up; control messages are never dropped, and
/// a connection that lets too many pile up is closed as slow instead.
/// </summary>
/// <remarks>
/// Audio and control wait in two rings, stamped from one counter under one lock, and leave in stamp order: a
/// <c>stream-started</c> always precedes the stream's first frame, and dropping the oldest audio frame is O(1).
/// A channel serves as the doorbell for the single consumer, rung only when it waits, so the steady state costs
/// one uncontended lock per message and no allocation.
/// </remarks>
internal sealed class OutboundQueue
{
    private const int InitialCapacity = 8;

    private readonly Lock _gate = new();
    private readonly Channel<bool> _doorbell = Channel.CreateUnbounded<bool>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });
    private readonly int _audioLimit;
    private readonly int _controlLimit;
    private FrameRing _audio = new(InitialCapacity);
    private FrameRing _control = new(InitialCapacity);
    private long _nextStamp;
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
                return _audio.Count + _control.Count;
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
        bool wake;
        lock (_gate)
        {
            if (_closed)
            {
                return EnqueueResult.Rejected;
            }

            if (frame.IsAudio)
            {
                if (_audio.Count == _audioLimit)
                {
                    evicted = _audio.Pop();
                }

                _audio.Push(frame, _nextStamp++);
            }
            else if (_control.Count < _controlLimit)
            {
                _control.Push(frame, _nextStamp++);
            }
            else
            {
                Overflowed = true;
                _closed = true;
                Ring(TakeWaitingConsumer());
                return EnqueueResult.Rejected;
            }

            wake = TakeWaitingConsumer();
        }

        Ring(wake);
        if (evicted is null)
        {
            return EnqueueResult.Queued;
        }

        Interlocked.Increment(ref _dropped);
        evicted.Release();
        return EnqueueResult.QueuedDroppedOldest;
    }

    /// <summary>Takes the next message in order; the caller owns its reference and must release it.</summary>
    public bool TryDequeue(out SharedFrame? frame)
    {
        _doorbell.Reader.TryRead(out _);
        lock (_gate)
        {
            if (_control.Count > 0 && (_audio.Count == 0 || _control.HeadStamp < _audio.HeadStamp))
            {
                frame = _control.Pop();
                return true;
            }

            if (_audio.Count > 0)
            {
                frame = _audio.Pop();
                return true;
            }

            frame = null;
            return false;
        }
    }

    /// <summary>Completes when a message is waiting or the queue is closed (then it may stay empty for good).</summary>
    public ValueTask<bool> WaitAsync()
    {
        lock (_gate)
        {
            if (_audio.Count > 0 || _control.Count > 0 || _closed)
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
        bool wake;
        lock (_gate)
        {
            _closed = true;
            if (discardQueued)
            {
                discarded = new List<SharedFrame>(_audio.Count + _control.Count);
                while (_audio.Count > 0)
                {
                    discarded.Add(_audio.Pop());
                }

                while (_control.Count > 0)
                {
                    discarded.Add(_control.Pop());
                }
            }

            wake = TakeWaitingConsumer();
        }

        discarded?.ForEach(f => f.Release());
        Ring(wake);
    }

    private bool TakeWaitingConsumer()
    {
        bool waiting = _consumerWaiting;
        _consumerWaiting = false;
        return waiting;
    }

    private void Ring(bool wake)
    {
        if (wake)
        {
            _doorbell.Writer.TryWrite(true);
        }
    }
}
